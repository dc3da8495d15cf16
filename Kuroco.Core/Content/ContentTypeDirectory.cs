namespace Kuroco.Core.Content;

/// <summary>A content type as the console's navigation lists it.</summary>
public sealed record ContentTypeLink(Guid Id, string Name, string ApiId);

/// <summary>
/// Every content type's name and API identifier for the navigation drawer: read once and kept, read again after
/// a type is created, renamed or deleted (so a render never queries the database).
/// </summary>
public interface IContentTypeDirectory
{
    /// <summary>The types ordered by name.</summary>
    ValueTask<IReadOnlyList<ContentTypeLink>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Raised after a type changed on this instance: listeners read the list again.</summary>
    event EventHandler? Changed;
}
