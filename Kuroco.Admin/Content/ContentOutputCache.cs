using Kuroco.Core.Api;
using Kuroco.Core.Content;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;

namespace Kuroco.Admin.Content;

/// <summary>Settings of the delivery API's server-side cache (<c>Kuroco:Api:OutputCache</c>).</summary>
public sealed class ContentOutputCacheOptions
{
    public const string SectionName = "Kuroco:Api:OutputCache";

    /// <summary>How long an answer may be served from memory at most; publishing evicts it at once anyway.</summary>
    [System.ComponentModel.DataAnnotations.Range(0, 86_400)]
    public int Seconds { get; set; } = 300;
}

/// <summary>
/// Server-side cache for the delivery API. An answer is kept per content type (tag), per query
/// (page, pageSize, lang, fields, expand) and per API key (or anonymous, for public types) — the scope check runs in the endpoint, which a cache hit
/// skips, so one key's answer is never served to another. Only 200 answers are stored, and none for a request carrying a
/// member's access token (member-only content is never in the shared cache). Publishing,
/// unpublishing or deleting an item of the type evicts the type's answers at once
/// (<see cref="ContentCacheEviction"/>); the lifetime is a backstop for changes that do not pass
/// through the content services (a type's fields changing, for one).
/// </summary>
internal sealed class ContentOutputCachePolicy(IOptions<ContentOutputCacheOptions> options) : IOutputCachePolicy
{
    /// <summary>The output cache policy name the delivery endpoints use (<c>CacheOutput(Name)</c>).</summary>
    public const string Name = "Kuroco.ContentDelivery";

    public static string Tag(string typeApiId) => "content:" + typeApiId;

    public ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.HttpContext.Request;
        // A request with a member's token reads for that member (member-only content): never from, nor into, the shared cache.
        // Every other request reads public items only, so its answer may be shared by callers with the same key.
        var enabled = options.Value.Seconds > 0 && (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            && !Members.MemberContentAudience.PresentsMemberToken(request);
        context.EnableOutputCaching = enabled;
        context.AllowCacheLookup = enabled;
        context.AllowCacheStorage = enabled;
        context.AllowLocking = true;
        if (!enabled)
        {
            return ValueTask.CompletedTask;
        }
        context.ResponseExpirationTimeSpan = TimeSpan.FromSeconds(options.Value.Seconds);
        if (context.HttpContext.GetRouteValue("type") is string type)
        {
            context.Tags.Add(Tag(type));
        }
        // Every query parameter changes the answer (filters, sort, cursor, fields, expand, ...): vary by all of them.
        context.CacheVaryByRules.QueryKeys = "*";
        // Per key; without one, anonymous (public types) apart from a refused key (which must get its 401).
        context.CacheVaryByRules.VaryByValues["api-key"] = context.HttpContext.User.FindFirst(ApiClaims.KeyId)?.Value
            ?? (context.HttpContext.Items.ContainsKey(Api.ApiKeyAuthenticationHandler.FailureItem) ? "refused" : "anonymous");
        return ValueTask.CompletedTask;
    }

    public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation) => ValueTask.CompletedTask;

    public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(context);
        // Errors (400, 401, 403, 404) are cheap to recompute and must never outlive a fix.
        if (context.HttpContext.Response.StatusCode != StatusCodes.Status200OK)
        {
            context.AllowCacheStorage = false;
        }
        // An answer with expanded references goes when the referenced types change too.
        if (context.HttpContext.Items[DeliveryShaping.ExpandedTypesItem] is IEnumerable<string> expanded)
        {
            foreach (var type in expanded)
            {
                context.Tags.Add(Tag(type));
            }
        }
        return ValueTask.CompletedTask;
    }
}

/// <summary>Evicts a content type's cached answers the moment one of its items is published, unpublished or deleted.</summary>
internal sealed class ContentCacheEviction(IOutputCacheStore store) : IContentChangeListener
{
    public async Task OnChangedAsync(ContentChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (change.Kind != ContentChangeKind.Updated)
        {
            await store.EvictByTagAsync(ContentOutputCachePolicy.Tag(change.TypeApiId), cancellationToken);
        }
    }
}

/// <summary>A type's fields, public flag or cache settings changed: its cached answers (and those expanding into it) go at once.</summary>
internal sealed class ContentTypeCacheEviction(IOutputCacheStore store) : IContentTypeChangeListener
{
    public async Task OnTypeChangedAsync(string typeApiId, CancellationToken cancellationToken = default) =>
        await store.EvictByTagAsync(ContentOutputCachePolicy.Tag(typeApiId), cancellationToken);
}

internal static class ContentDeliveryServices
{
    /// <summary>The delivery endpoints' server-side cache (the named policy alone, not the default one) and its eviction.</summary>
    public static IServiceCollection AddContentDelivery(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ContentOutputCacheOptions>().Bind(configuration.GetSection(ContentOutputCacheOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOutputCache(o => o.AddPolicy(ContentOutputCachePolicy.Name, p => p.AddPolicy<ContentOutputCachePolicy>(), excludeDefaultPolicy: true));
        services.AddSingleton<ContentOutputCachePolicy>();
        services.AddSingleton<DeliveryCursor>();
        services.AddScoped<IContentChangeListener, ContentCacheEviction>();
        services.AddScoped<IContentTypeChangeListener, ContentTypeCacheEviction>();
        return services;
    }
}
