using Kuroco.Core.Audit;
using Kuroco.Core.Content;
using Kuroco.Tests.Support;

namespace Kuroco.Tests.Integration.Content;

/// <summary>Deleting a content type: only an unused type goes; anything that still needs it keeps it, with the reason.</summary>
public sealed class ContentTypeDeletionTests(ContentAppFactory factory) : IClassFixture<ContentAppFactory>
{
    private static string Api() => "t" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task An_unused_type_is_deleted_and_audited()
    {
        var type = await factory.CreateTypeAsync(Api());

        var result = await factory.WithContentAsync((types, _) => types.DeleteAsync(type.Id));

        Assert.True(result.Succeeded, string.Join(" ", result.Errors));
        Assert.Null(await factory.WithContentAsync((types, _) => types.FindAsync(type.Id)));
        var entry = Assert.Single(await factory.AuditEntriesAsync(), e => e.Action == AuditActions.ContentTypeDeleted && e.EntityId == type.Id.ToString());
        Assert.Equal($"Content type \"{type.Name}\" ({type.ApiId}) deleted.", AuditText.English(entry));
        Assert.Equal($"コンテンツタイプ「{type.Name}」（{type.ApiId}）を削除しました。", AuditText.Japanese(entry));
    }

    [Fact]
    public async Task A_type_with_items_is_kept_even_when_they_are_only_in_the_trash()
    {
        var type = await factory.CreateTypeAsync(Api());
        var item = await factory.CreateItemAsync(type, "still-here", "Still here");

        var refused = await factory.WithContentAsync((types, _) => types.DeleteAsync(type.Id));
        Assert.False(refused.Succeeded);
        Assert.Contains("1 item", refused.Errors[0], StringComparison.Ordinal);

        Assert.True((await factory.WithTrashAsync(t => t.DeleteAsync(new(item.Id)))).Succeeded);
        var inTrash = await factory.WithContentAsync((types, _) => types.DeleteAsync(type.Id));
        Assert.False(inTrash.Succeeded);
        Assert.Contains("trash", inTrash.Errors[0], StringComparison.Ordinal);
        Assert.NotNull(await factory.WithContentAsync((types, _) => types.FindAsync(type.Id)));
        Assert.DoesNotContain(await factory.AuditEntriesAsync(), e => e.Action == AuditActions.ContentTypeDeleted && e.EntityId == type.Id.ToString());
    }

    [Fact]
    public async Task A_type_another_type_refers_to_is_kept_and_the_referrer_is_named()
    {
        var target = await factory.CreateTypeAsync(Api());
        var referrer = await factory.WithContentAsync(async (types, _) => (await types.SaveAsync(new ContentType
        {
            Name = "Books",
            ApiId = Api(),
            Fields = [new FieldDefinition { Key = "author", LabelEn = "Author", Kind = FieldKind.Reference, ReferenceTypeApiId = target.ApiId }],
        })).Value!);

        var refused = await factory.WithContentAsync((types, _) => types.DeleteAsync(target.Id));

        Assert.False(refused.Succeeded);
        Assert.Contains($"Books ({referrer.ApiId})", refused.Errors[0], StringComparison.Ordinal);
        Assert.NotNull(await factory.WithContentAsync((types, _) => types.FindAsync(target.Id)));
        // The referring type itself may go (nothing points at it), and then the target may too.
        Assert.True((await factory.WithContentAsync((types, _) => types.DeleteAsync(referrer.Id))).Succeeded);
        Assert.True((await factory.WithContentAsync((types, _) => types.DeleteAsync(target.Id))).Succeeded);
    }

    [Fact]
    public async Task An_unknown_type_is_refused()
    {
        var result = await factory.WithContentAsync((types, _) => types.DeleteAsync(Guid.NewGuid()));
        Assert.False(result.Succeeded);
    }
}
