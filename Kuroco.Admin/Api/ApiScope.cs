using Kuroco.Core.Api;

namespace Kuroco.Admin.Api;

/// <summary>
/// Scope checks for endpoints: "the key lacks the type" becomes a 403 problem, "no key" a 401 challenge,
/// and a public type (<see cref="IPublicContentTypes"/>) may be read without a key, or with any valid key
/// (even one that does not list it; a refused key still gets its 401).
/// </summary>
public static class ApiScope
{
    /// <summary>
    /// Null when the caller may use <paramref name="typeApiId"/> with <paramref name="access"/>;
    /// otherwise the result to return (401 challenge or 403 problem).
    /// </summary>
    public static async Task<IResult?> CheckAsync(HttpContext context, IPublicContentTypes publicTypes, string typeApiId, ApiAccess access)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(publicTypes);
        var scope = context.User.GetApiKeyScope();
        if (scope is null)
        {
            var refusedKey = context.Items.ContainsKey(ApiKeyAuthenticationHandler.FailureItem);
            if (!refusedKey && access == ApiAccess.Read
                && await publicTypes.IsPublicAsync(typeApiId, context.RequestAborted))
            {
                return null;
            }
            return Results.Challenge(authenticationSchemes: [ApiKeyDefaults.Scheme]);
        }
        // A public type is public to everyone: a key that does not list it may still read it (its write access is unchanged).
        if (!scope.Allows(typeApiId, access)
            && !(access == ApiAccess.Read && await publicTypes.IsPublicAsync(typeApiId, context.RequestAborted)))
        {
            return ApiProblems.Forbidden(access == ApiAccess.Write && scope.Access != ApiAccess.Write
                ? "The API key is read-only."
                : $"The API key does not allow the content type '{typeApiId}'.");
        }
        return null;
    }

    /// <summary>
    /// Adds the check to an endpoint: the content type is read from the route value <paramref name="routeParameter"/>.
    /// For endpoints that public types may reach without a key, also call <c>.AllowAnonymous()</c>.
    /// </summary>
    public static TBuilder RequireApiScope<TBuilder>(this TBuilder builder, string routeParameter, ApiAccess access)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.AddEndpointFilterFactory((factory, next) =>
        {
            var publicTypes = PublicTypes(factory);
            return async invocation =>
            {
                var type = invocation.HttpContext.GetRouteValue(routeParameter) as string ?? "";
                return await CheckAsync(invocation.HttpContext, publicTypes, type, access) ?? await next(invocation);
            };
        });
        return builder;
    }

    /// <summary>
    /// An endpoint filter built with arguments (the route parameter, the access) cannot be constructor-injected: the
    /// framework hands its factory only the application's service provider, once per endpoint. The public-type list
    /// is a singleton (a cache), so it is taken from there when the endpoint is built, not looked up per request.
    /// </summary>
    private static IPublicContentTypes PublicTypes(EndpointFilterFactoryContext factory) =>
        factory.ApplicationServices.GetRequiredService<IPublicContentTypes>();
}
