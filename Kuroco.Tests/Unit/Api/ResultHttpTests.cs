using Kuroco.Admin.Api;
using Kuroco.Core.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kuroco.Tests.Unit.Api;

/// <summary>Each error kind answers one status code, decided in ResultHttp only.</summary>
public sealed class ResultHttpTests
{
    [Theory]
    [InlineData(ErrorKind.Validation, 400)]
    [InlineData(ErrorKind.NotFound, 404)]
    [InlineData(ErrorKind.Conflict, 409)]
    [InlineData(ErrorKind.PreconditionFailed, 412)]
    [InlineData(ErrorKind.Forbidden, 403)]
    [InlineData(ErrorKind.TooLarge, 413)]
    public void Each_error_kind_maps_to_its_status_code(ErrorKind kind, int status)
    {
        var problem = Assert.IsType<ProblemHttpResult>(Result.Failure(kind, "Why.").ToProblem());
        Assert.Equal(status, problem.StatusCode);
        Assert.Equal(status, problem.ProblemDetails.Status);
    }

    [Fact]
    public void Every_error_kind_has_a_status_code()
    {
        foreach (var kind in Enum.GetValues<ErrorKind>().Where(k => k != ErrorKind.None))
        {
            var status = ResultHttp.StatusCodeOf(kind);
            Assert.InRange(status, 400, 499);
        }
    }

    [Fact]
    public void A_validation_problem_lists_messages_by_input_and_general_ones_under_the_empty_name()
    {
        var result = Result.Invalid([new FieldError("fields.ja.title", "Required."), new FieldError("fields.ja.title", "Too long.")], ["Check the item."]);
        var problem = Assert.IsType<ProblemHttpResult>(result.ToProblem());
        Assert.Equal(400, problem.StatusCode);
        var errors = Assert.IsType<Dictionary<string, string[]>>(problem.ProblemDetails.Extensions["errors"]);
        Assert.Equal(["Required.", "Too long."], errors["fields.ja.title"]);
        Assert.Equal(["Check the item."], errors[""]);
    }

    [Fact]
    public void A_non_validation_problem_carries_its_messages_as_the_detail()
    {
        var problem = Assert.IsType<ProblemHttpResult>(Result.Conflict("The item is not published.").ToProblem());
        Assert.Equal("The item is not published.", problem.ProblemDetails.Detail);
        Assert.False(problem.ProblemDetails.Extensions.ContainsKey("errors"));
    }

    [Fact]
    public void What_a_failure_carries_becomes_camel_cased_extensions_and_a_title_replaces_the_standard_one()
    {
        var problem = Result.Conflict("The file is in use.", new InUse(["news/42"], 1)).ToProblem("ファイルは使用中です。");
        Assert.Equal(409, problem.StatusCode);
        Assert.Equal("ファイルは使用中です。", problem.ProblemDetails.Title);
        Assert.Equal("The file is in use.", problem.ProblemDetails.Detail);
        Assert.Equal(["news/42"], Assert.IsType<string[]>(problem.ProblemDetails.Extensions["usages"]));
        Assert.Equal(1, problem.ProblemDetails.Extensions["usageCount"]);
        Assert.Equal("Conflict", Result.Conflict("The file is in use.").ToProblem().ProblemDetails.Title);
    }

    private sealed record InUse(string[] Usages, int UsageCount);

    [Fact]
    public void A_success_is_never_turned_into_a_problem()
    {
        Assert.Throws<InvalidOperationException>(() => Result.Success.ToProblem());
        Assert.Throws<ArgumentException>(() => ResultHttp.StatusCodeOf(ErrorKind.None));
    }
}
