using Kuroco.Core.Common;

namespace Kuroco.Admin.Api;

/// <summary>
/// The one place where a service's <see cref="ErrorKind"/> becomes an HTTP status code and an RFC 7807 problem.
/// Endpoints never pick a status from a message's wording: <c>return result.Succeeded ? TypedResults.Ok(...) : result.ToProblem();</c>
/// </summary>
public static class ResultHttp
{
    public static int StatusCodeOf(ErrorKind kind) => kind switch
    {
        ErrorKind.Validation => StatusCodes.Status400BadRequest,
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Conflict => StatusCodes.Status409Conflict,
        ErrorKind.PreconditionFailed => StatusCodes.Status412PreconditionFailed,
        ErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        ErrorKind.TooLarge => StatusCodes.Status413PayloadTooLarge,
        ErrorKind.None => throw new ArgumentException("A success has no error status.", nameof(kind)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "An error kind without a status code: add it here."),
    };

    /// <summary>
    /// The failure as a problem: validation failures carry <c>errors</c> (input name → messages; messages not about
    /// one input are under the empty name), every other kind its messages as the detail.
    /// </summary>
    public static IResult ToProblem(this Result result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Succeeded)
        {
            throw new InvalidOperationException("A successful result is not a problem.");
        }
        if (result.Error != ErrorKind.Validation)
        {
            return ApiProblems.Problem(StatusCodeOf(result.Error), result.Message);
        }
        var errors = result.FieldErrors
            .GroupBy(f => f.Field, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(f => f.Message).ToArray(), StringComparer.Ordinal);
        var general = result.Errors.Except(result.FieldErrors.Select(f => f.Message), StringComparer.Ordinal).ToArray();
        if (general.Length > 0)
        {
            errors[""] = general;
        }
        return ApiProblems.Validation(errors, result.FieldErrors.Count == 0 ? result.Message : "One or more fields are invalid.");
    }
}
