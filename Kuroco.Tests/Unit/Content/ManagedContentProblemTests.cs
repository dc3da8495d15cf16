using Kuroco.Admin.Content;
using Kuroco.Core.Common;

namespace Kuroco.Tests.Unit.Content;

/// <summary>How the management API turns a refused change into its problem: the status from the error kind, the inputs named like the body.</summary>
public sealed class ManagedContentProblemTests
{
    [Theory]
    [InlineData(ErrorKind.NotFound, 404)]
    [InlineData(ErrorKind.Conflict, 409)]
    [InlineData(ErrorKind.PreconditionFailed, 412)]
    [InlineData(ErrorKind.Validation, 400)]
    public void Each_error_kind_has_its_status_code_and_its_message_as_the_detail(ErrorKind kind, int status)
    {
        var problem = ManagedContent.Problem(Result.Failure(kind, "Why not."));

        Assert.Equal(status, problem.StatusCode);
        Assert.Equal("Why not.", problem.ProblemDetails.Detail);
    }

    [Fact]
    public void Validation_errors_are_keyed_like_the_body_and_general_ones_are_kept()
    {
        var result = Result.Invalid([new FieldError("Slug", "Slug taken."), new FieldError("ja.title", "Title required."), new FieldError("en.price", "Too big.")], ["Something else."]);

        var problem = ManagedContent.Problem(result);

        Assert.Equal(400, problem.StatusCode);
        var errors = Assert.IsAssignableFrom<IDictionary<string, string[]>>(problem.ProblemDetails.Extensions["errors"]);
        Assert.Equal(["", "fields.en.price", "fields.ja.title", "slug"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["Slug taken."], errors["slug"]);
        Assert.Equal(["Something else."], errors[""]);
    }
}
