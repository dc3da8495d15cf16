using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Kuroco.Admin.Api;

/// <summary>
/// RFC 7807 problem details for /api/v1, in one shape everywhere: <c>type</c>, <c>title</c>,
/// <c>status</c>, <c>detail</c>, <c>instance</c> (the path), <c>traceId</c> (the correlation id),
/// and for a bad parameter <c>parameter</c> and <c>errors</c>. Endpoints return the <see cref="ProblemHttpResult"/>
/// helpers (a service's failure goes through <see cref="ResultHttp.ToProblem"/>); middleware and handlers call <see cref="WriteAsync"/>
/// with the <see cref="IProblemDetailsService"/> they were given. Never put exception text in a detail.
/// </summary>
public static class ApiProblems
{
    public const string ContentType = "application/problem+json";

    /// <summary>400 naming the query or route parameter that was wrong.</summary>
    public static ProblemHttpResult BadParameter(string parameter, string detail) =>
        TypedResults.Problem(new ProblemDetails
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "Invalid parameter",
            Detail = detail,
            Extensions =
            {
                ["parameter"] = parameter,
                ["errors"] = new Dictionary<string, string[]> { [parameter] = [detail] },
            },
        });

    /// <summary>400 with several invalid fields (e.g. a management API body): field name to messages.</summary>
    public static ProblemHttpResult Validation(IDictionary<string, string[]> errors, string detail = "One or more fields are invalid.") =>
        TypedResults.Problem(new ProblemDetails
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "Invalid request",
            Detail = detail,
            Extensions = { ["errors"] = errors },
        });

    public static ProblemHttpResult NotFound(string detail) => Problem(StatusCodes.Status404NotFound, detail);

    /// <summary>403: the key is valid but its scope does not cover this.</summary>
    public static ProblemHttpResult Forbidden(string detail) => Problem(StatusCodes.Status403Forbidden, detail);

    public static ProblemHttpResult Conflict(string detail) => Problem(StatusCodes.Status409Conflict, detail);

    public static ProblemHttpResult PreconditionFailed(string detail) => Problem(StatusCodes.Status412PreconditionFailed, detail);

    public static ProblemHttpResult Problem(int status, string? detail = null, string? title = null) =>
        TypedResults.Problem(new ProblemDetails { Status = status, Title = title ?? TitleOf(status), Detail = detail });

    /// <summary>Writes a problem straight to the response (for middleware and authentication handlers, which get <paramref name="problems"/> injected).</summary>
    public static async Task WriteAsync(IProblemDetailsService problems, HttpContext context, int status, string? detail, IDictionary<string, object?>? extensions = null)
    {
        ArgumentNullException.ThrowIfNull(problems);
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = status;
        context.Response.Headers.CacheControl = "no-store";
        var problem = new ProblemDetails { Status = status, Title = TitleOf(status), Detail = detail };
        if (extensions is not null)
        {
            foreach (var (key, value) in extensions)
            {
                problem.Extensions[key] = value;
            }
        }
        await problems.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }

    /// <summary>Adds instance and traceId to every problem of the API (registered on ProblemDetailsOptions).</summary>
    internal static void Customize(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        if (!ApiPaths.IsV1(http.Request.Path))
        {
            return;
        }
        context.ProblemDetails.Instance ??= http.Request.Path.Value;
        if (http.Items.TryGetValue(Security.CorrelationIdMiddleware.HeaderName, out var id) && id is string correlation)
        {
            context.ProblemDetails.Extensions["traceId"] = correlation;
        }
        context.ProblemDetails.Title ??= TitleOf(context.ProblemDetails.Status ?? http.Response.StatusCode);
        // Whatever produced it, a problem never carries exception details out of the API.
        context.ProblemDetails.Extensions.Remove("exception");
        http.Response.Headers.CacheControl = "no-store";
    }

    public static string TitleOf(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "Bad request",
        StatusCodes.Status401Unauthorized => "Unauthorized",
        StatusCodes.Status403Forbidden => "Forbidden",
        StatusCodes.Status404NotFound => "Not found",
        StatusCodes.Status405MethodNotAllowed => "Method not allowed",
        StatusCodes.Status409Conflict => "Conflict",
        StatusCodes.Status412PreconditionFailed => "Precondition failed",
        StatusCodes.Status413PayloadTooLarge => "Payload too large",
        StatusCodes.Status415UnsupportedMediaType => "Unsupported media type",
        StatusCodes.Status429TooManyRequests => "Too many requests",
        StatusCodes.Status500InternalServerError => "Internal server error",
        _ => "Error",
    };
}
