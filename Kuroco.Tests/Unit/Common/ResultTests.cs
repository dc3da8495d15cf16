using FluentValidation.Results;
using Kuroco.Core.Common;

namespace Kuroco.Tests.Unit.Common;

public sealed class ResultTests
{
    [Fact]
    public void Success_has_no_error_and_no_messages()
    {
        Assert.True(Result.Success.Succeeded);
        Assert.Equal(ErrorKind.None, Result.Success.Error);
        Assert.Empty(Result.Success.Errors);
        Assert.Empty(Result.Success.FieldErrors);
    }

    [Fact]
    public void A_value_result_carries_its_value_only_on_success()
    {
        var ok = Result.Ok(42);
        Assert.True(ok.TryGetValue(out var value));
        Assert.Equal(42, value);

        var missing = Result<int>.NotFound("No such thing.");
        Assert.False(missing.TryGetValue(out _));
        Assert.Equal(ErrorKind.NotFound, missing.Error);
        Assert.Equal(["No such thing."], missing.Errors);
        Assert.Equal(0, missing.Value);
    }

    [Theory]
    [InlineData(ErrorKind.Validation)]
    [InlineData(ErrorKind.NotFound)]
    [InlineData(ErrorKind.Conflict)]
    [InlineData(ErrorKind.PreconditionFailed)]
    [InlineData(ErrorKind.Forbidden)]
    [InlineData(ErrorKind.TooLarge)]
    public void A_failure_keeps_its_kind_when_carried_to_a_value_result(ErrorKind kind)
    {
        var failure = Result.Failure(kind, "Why it failed.");
        var carried = failure.As<string>();
        Assert.False(carried.Succeeded);
        Assert.Equal(kind, carried.Error);
        Assert.Equal("Why it failed.", carried.Message);
        Assert.Null(carried.Value);
    }

    [Fact]
    public void Field_errors_are_among_the_messages_with_the_general_ones_after_them()
    {
        var result = Result.Invalid([new FieldError("Slug", "The slug is taken."), new FieldError("ja.title", "The title is required.")], ["Fix the fields below."]);
        Assert.Equal(ErrorKind.Validation, result.Error);
        Assert.Equal(["The slug is taken.", "The title is required.", "Fix the fields below."], result.Errors);
        Assert.Equal(2, result.FieldErrors.Count);
        Assert.Equal("ja.title", result.FieldErrors[1].Field);
    }

    [Fact]
    public void Two_inputs_breaking_the_same_rule_show_one_line_but_keep_both_field_errors()
    {
        var validation = new ValidationResult([
            new ValidationFailure("IdleTimeoutMinutes", "Between 5 and 10080 minutes."),
            new ValidationFailure("AbsoluteLifetimeMinutes", "Between 5 and 10080 minutes.")]);
        var result = Result.Invalid(validation);
        Assert.Equal(["Between 5 and 10080 minutes."], result.Errors);
        Assert.Equal(["IdleTimeoutMinutes", "AbsoluteLifetimeMinutes"], result.FieldErrors.Select(f => f.Field));
    }

    [Fact]
    public void A_conflict_carries_what_blocks_it_also_when_carried_to_a_value_result()
    {
        var conflict = Result<Guid>.Conflict("It is in use.", new Blockers(["news/1"]));
        Assert.Equal(ErrorKind.Conflict, conflict.Error);
        Assert.Equal(["news/1"], Assert.IsType<Blockers>(conflict.ErrorData).Usages);
        Assert.IsType<Blockers>(conflict.As<string>().ErrorData);
        Assert.Null(Result.Conflict("It is in use.").ErrorData);
    }

    private sealed record Blockers(IReadOnlyList<string> Usages);

    [Fact]
    public void A_FluentValidation_failure_becomes_field_errors_by_property_name()
    {
        var validation = new ValidationResult([new ValidationFailure("MinLength", "Between 8 and 64.")]);
        var result = Result<object>.Invalid(validation);
        Assert.Equal(ErrorKind.Validation, result.Error);
        Assert.Equal(new FieldError("MinLength", "Between 8 and 64."), Assert.Single(result.FieldErrors));
    }

    [Fact]
    public void A_failure_must_say_why_and_a_success_cannot_be_a_failure()
    {
        Assert.Throws<ArgumentException>(() => Result.Failure(ErrorKind.Conflict));
        Assert.Throws<ArgumentException>(() => Result.Failure(ErrorKind.Conflict, " "));
        Assert.Throws<ArgumentException>(() => Result.Failure(ErrorKind.None, "Nothing wrong."));
        Assert.Throws<ArgumentException>(() => Result.Invalid(new ValidationResult()));
        Assert.Throws<InvalidOperationException>(() => Result.Success.As<int>());
    }
}
