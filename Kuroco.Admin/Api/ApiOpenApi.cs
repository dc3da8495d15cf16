using Kuroco.Core.Api;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace Kuroco.Admin.Api;

/// <summary>
/// The OpenAPI document (<c>/openapi/v1.json</c>, anonymous) describes every endpoint under /api/v1
/// and the API-key security schemes (also at <c>/api/openapi/v1.json</c>); the reference page (<c>/api/reference</c>, anonymous) is Scalar,
/// served with its script from this app (no CDN, no web fonts).
/// </summary>
public static class ApiOpenApi
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/{documentName}.json";
    public const string ReferencePath = "/api/reference";
    /// <summary>The same document under /api, for the reference page: it then needs only the API IP allowlist, not the console's.</summary>
    public const string ApiDocumentPath = "/api/openapi/{documentName}.json";

    public static IServiceCollection AddKurocoOpenApi(this IServiceCollection services)
    {
        services.AddOpenApi(DocumentName, o =>
        {
            // Only the public API; the console's own endpoints (sign-in, audit export, ...) stay out.
            o.ShouldInclude = d => d.RelativePath?.StartsWith("api/v1", StringComparison.OrdinalIgnoreCase) == true;
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Kuroco API",
                    Version = "v1",
                    Description = "Delivery and management API. Authenticate with an API key created in the console " +
                        $"(Settings → API keys), sent in the {ApiKeyDefaults.HeaderName} header or as \"Authorization: Bearer <key>\". " +
                        "Every response carries X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset (seconds); errors are RFC 7807 problem details.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[ApiKeyDefaults.Scheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Header,
                    Name = ApiKeyDefaults.HeaderName,
                    Description = "An API key (kk_…) created in the console.",
                };
                document.Components.SecuritySchemes["Bearer"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "The same API key as a bearer token: Authorization: Bearer kk_…",
                };
                return Task.CompletedTask;
            });
            o.AddOperationTransformer((operation, context, _) =>
            {
                var anonymous = context.Description.ActionDescriptor.EndpointMetadata.OfType<Microsoft.AspNetCore.Authorization.IAllowAnonymous>().Any();
                if (!anonymous)
                {
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyDefaults.Scheme, context.Document)] = [] });
                    operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("Bearer", context.Document)] = [] });
                }
                return Task.CompletedTask;
            });
        });
        return services;
    }

    public static WebApplication MapKurocoOpenApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapOpenApi(DocumentPath).AllowAnonymous();
        app.MapOpenApi(ApiDocumentPath).AllowAnonymous();
        app.MapScalarApiReference(ReferencePath, o =>
        {
            o.Title = "Kuroco API reference";
            o.OpenApiRoutePattern = ApiDocumentPath;
            o.DisableDefaultFonts();
            o.HideClientButton = true;
            o.AddPreferredSecuritySchemes(ApiKeyDefaults.Scheme);
        }).AllowAnonymous();
        return app;
    }
}
