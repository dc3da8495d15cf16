using Microsoft.AspNetCore.Http.Features;

namespace Kuroco.Admin.Security;

/// <summary>
/// Answers 413 before anything reads a body whose declared length is over the limit (the server's,
/// or an endpoint's own). Kestrel enforces the limit while reading, but a form post is read first by
/// antiforgery validation, which reports every read failure as a missing token (400).
/// </summary>
public sealed class RequestBodyLimitMiddleware(RequestDelegate next, IProblemDetailsService problems)
{
    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var limit = context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
        if (limit is { } max && context.Request.ContentLength > max)
        {
            if (Api.ApiPaths.IsV1(context.Request.Path))
            {
                // The API answers every error as problem details (this runs before the status-code pages).
                return Api.ApiProblems.WriteAsync(problems, context, StatusCodes.Status413PayloadTooLarge,
                    $"The request body is larger than the limit of {max} bytes.");
            }
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return Task.CompletedTask;
        }
        return next(context);
    }
}
