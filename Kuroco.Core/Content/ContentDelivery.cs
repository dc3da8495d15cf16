using System.Globalization;

namespace Kuroco.Core.Content;

/// <summary>
/// Delivery settings of a content type (public types, CDN cache lifetimes) and the rules that turn them
/// into HTTP caching. Pure: the delivery endpoints and the console use the same rules.
/// </summary>
public static class ContentDelivery
{
    /// <summary>The longest cache lifetime a type may ask for: one year, in seconds.</summary>
    public const int MaxCacheSeconds = 31_536_000;

    /// <summary>
    /// The <c>Cache-Control</c> value of a successful (200 or 304) delivery answer of <paramref name="type"/>.
    /// <c>public</c> only for a public type read without a key (the same answer for everyone); an answer
    /// read with a key is <c>private</c>, since a shared cache must never hand one key's answer to another.
    /// </summary>
    public static string CacheControl(ContentType type, bool anonymous)
    {
        ArgumentNullException.ThrowIfNull(type);
        var visibility = type.IsPublic && anonymous ? "public" : "private";
        return string.Create(CultureInfo.InvariantCulture,
            $"{visibility}, max-age={Clamp(type.CacheMaxAgeSeconds)}, stale-while-revalidate={Clamp(type.CacheStaleWhileRevalidateSeconds)}, stale-if-error={Clamp(type.CacheStaleIfErrorSeconds)}");
    }

    /// <summary>The settings as one line for the audit log.</summary>
    public static string Describe(ContentType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return string.Create(CultureInfo.InvariantCulture,
            $"{(type.IsPublic ? "public" : "key required")}; max-age {type.CacheMaxAgeSeconds}s, stale-while-revalidate {type.CacheStaleWhileRevalidateSeconds}s, stale-if-error {type.CacheStaleIfErrorSeconds}s");
    }

    private static int Clamp(int seconds) => Math.Clamp(seconds, 0, MaxCacheSeconds);
}

/// <summary>Called after a content type's definition or delivery settings changed (cache eviction).</summary>
public interface IContentTypeChangeListener
{
    Task OnTypeChangedAsync(string typeApiId, CancellationToken cancellationToken = default);
}

/// <summary>
/// Content types for the delivery API: cached briefly and dropped when a type changes, so a request does not
/// read its type from the database. The instances are shared and must not be changed.
/// </summary>
public interface IDeliveryContentTypes
{
    ValueTask<ContentType?> FindAsync(string typeApiId, CancellationToken cancellationToken = default);
}

/// <summary>Reads published items by id across types, in one query: for reference expansion in the delivery API.</summary>
public interface IPublishedReferenceReader
{
    /// <summary>
    /// The published items among <paramref name="ids"/> whose type is one of <paramref name="typeApiIds"/>, in
    /// <paramref name="language"/> (or the fallback). Drafts, archived, deleted and other types' items are left out, and so are
    /// items restricted to member groups the audience (null: anonymous) is not in.
    /// </summary>
    Task<IReadOnlyList<PublishedContent>> FindManyAsync(IReadOnlyCollection<Guid> ids, IReadOnlyCollection<string> typeApiIds, string language, ContentAudience? audience = null, CancellationToken cancellationToken = default);
}
