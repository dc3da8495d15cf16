using System.Reflection;
using System.Text.Json;
using Kuroco.Core.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kuroco.Admin.Api;

/// <summary>
/// The one place where a service's <see cref="ErrorKind"/> becomes an HTTP status code and an RFC 7807 problem.
/// Endpoints never pick a status from a message's wording:
/// <c>return result.TryGetValue(out var item) ? TypedResults.Ok(Dto.From(item)) : result.ToProblem();</c>
/// with the handler typed <c>Task&lt;Results&lt;Ok&lt;Dto&gt;, ProblemHttpResult&gt;&gt;</c>.
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
    /// one input are under the empty name), every other kind its messages as the detail. The public properties of
    /// <see cref="Result.ErrorData"/> become extensions (camelCase). <paramref name="title"/> replaces the status's
    /// standard English title (the console's own endpoints answer in the user's language).
    /// </summary>
    public static ProblemHttpResult ToProblem(this Result result, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Succeeded)
        {
            throw new InvalidOperationException("A successful result is not a problem.");
        }
        var problem = result.Error != ErrorKind.Validation
            ? ApiProblems.Problem(StatusCodeOf(result.Error), result.Message, title)
            : ValidationProblem(result);
        if (title is not null)
        {
            problem.ProblemDetails.Title = title;
        }
        if (result.ErrorData is { } data)
        {
            foreach (var property in data.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (property.GetIndexParameters().Length == 0)
                {
                    problem.ProblemDetails.Extensions[JsonNamingPolicy.CamelCase.ConvertName(property.Name)] = property.GetValue(data);
                }
            }
        }
        return problem;
    }

    private static ProblemHttpResult ValidationProblem(Result result)
    {
        var errors = result.FieldErrors
            .GroupBy(f => f.Field, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(f => f.Message).Distinct(StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);
        var general = result.Errors.Except(result.FieldErrors.Select(f => f.Message), StringComparer.Ordinal).ToArray();
        if (general.Length > 0)
        {
            errors[""] = general;
        }
        return ApiProblems.Validation(errors, result.FieldErrors.Count == 0 ? result.Message : "One or more fields are invalid.");
    }
}
