using System.Collections.Concurrent;
using Kuroco.Core.Content;
using Kuroco.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Kuroco.Tests.Integration.Content;

/// <summary>The real app with a controllable clock, no job server (tests run the jobs) and a listener that records changes.</summary>
public class ContentAppFactory : KurocoAppFactory
{
    public ContentAppFactory()
    {
        Settings["Kuroco:Jobs:RunServer"] = "false";
        TestServices = services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton(Changes);
            services.AddScoped<IContentChangeListener, RecordingListener>();
            services.AddScoped<IContentChangeListener, ThrowingListener>();
        };
    }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero));

    public ChangeLog Changes { get; } = new();

    public Task<T> WithContentAsync<T>(Func<IContentTypeService, IContentItemService, Task<T>> action) =>
        WithScopeAsync(sp => action(sp.GetRequiredService<IContentTypeService>(), sp.GetRequiredService<IContentItemService>()));

    public Task<T> WithPublishingAsync<T>(Func<IContentPublishingService, Task<T>> action) =>
        WithScopeAsync(sp => action(sp.GetRequiredService<IContentPublishingService>()));

    public Task<T> WithTrashAsync<T>(Func<IContentTrashService, Task<T>> action) =>
        WithScopeAsync(sp => action(sp.GetRequiredService<IContentTrashService>()));

    public Task<T> WithVersionsAsync<T>(Func<IContentVersionService, Task<T>> action) =>
        WithScopeAsync(sp => action(sp.GetRequiredService<IContentVersionService>()));

    /// <summary>A type "api-id" with a required unique title, a rich-text body and a number.</summary>
    public Task<ContentType> CreateTypeAsync(string apiId) => WithContentAsync(async (types, _) =>
    {
        var result = await types.SaveAsync(new ContentType
        {
            Name = "Type " + apiId,
            ApiId = apiId,
            Fields =
            [
                new FieldDefinition { Key = "title", LabelEn = "Title", Kind = FieldKind.ShortText, Required = true, Unique = true, MaxLength = 100 },
                new FieldDefinition { Key = "body", LabelEn = "Body", Kind = FieldKind.RichText },
                new FieldDefinition { Key = "price", LabelEn = "Price", Kind = FieldKind.Number, MinValue = 0 },
            ],
        });
        Assert.True(result.Succeeded, string.Join(" ", result.Errors));
        return result.Value!;
    });

    public Task<ContentItem> CreateItemAsync(ContentType type, string slug, string title, string? body = null) => WithContentAsync(async (_, items) =>
    {
        var input = new ContentItemInput { TypeId = type.Id, Slug = slug };
        input.Ja["title"] = title;
        input.Ja["body"] = body;
        var result = await items.SaveDraftAsync(input);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors));
        return result.Value!;
    });

    public sealed class ChangeLog
    {
        public ConcurrentQueue<ContentChange> All { get; } = new();
    }

    private sealed class RecordingListener(ChangeLog log) : IContentChangeListener
    {
        public Task OnChangedAsync(ContentChange change, CancellationToken cancellationToken = default)
        {
            log.All.Enqueue(change);
            return Task.CompletedTask;
        }
    }

    /// <summary>A broken listener: its failure must be logged and must not undo the change nor stop the others.</summary>
    private sealed class ThrowingListener : IContentChangeListener
    {
        public Task OnChangedAsync(ContentChange change, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("listener down");
    }
}
