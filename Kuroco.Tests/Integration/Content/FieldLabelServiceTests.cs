using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Content;
using Kuroco.Tests.Support;

namespace Kuroco.Tests.Integration.Content;

/// <summary>Both labels of a field through the real type and item services and the SQLite database.</summary>
public sealed class FieldLabelServiceTests(ContentAppFactory factory) : IClassFixture<ContentAppFactory>
{
    private static string Api() => "l" + Guid.NewGuid().ToString("N")[..10];

    private Task<Result<ContentType>> SaveAsync(ContentType type) => factory.WithContentAsync((types, _) => types.SaveAsync(type));

    [Fact]
    public async Task Both_labels_are_stored_trimmed_and_a_change_to_one_alone_is_saved_and_audited()
    {
        var created = await SaveAsync(new ContentType
        {
            Name = "Labels",
            ApiId = Api(),
            Fields = [new FieldDefinition { Key = "title", LabelEn = " Title ", LabelJa = " タイトル ", Kind = FieldKind.ShortText, Required = true }],
        });
        Assert.True(created.Succeeded, string.Join(" ", created.Errors));
        var stored = (await factory.WithContentAsync((types, _) => types.FindAsync(created.Value!.Id)))!;
        Assert.Equal(("Title", "タイトル"), (stored.Fields[0].LabelEn, stored.Fields[0].LabelJa));

        stored.Fields[0].LabelJa = "見出し";
        var renamed = await SaveAsync(stored);

        Assert.True(renamed.Succeeded, string.Join(" ", renamed.Errors));
        var reread = (await factory.WithContentAsync((types, _) => types.FindAsync(stored.Id)))!;
        Assert.Equal(("Title", "見出し"), (reread.Fields[0].LabelEn, reread.Fields[0].LabelJa));
        var audit = (await factory.AuditEntriesAsync()).Last(e => e.Action == AuditActions.ContentTypeUpdated && e.EntityId == stored.Id.ToString());
        var fields = System.Text.Json.JsonDocument.Parse(audit.Changes!).RootElement.EnumerateArray().Single(c => c.GetProperty("Field").GetString() == "Fields");
        Assert.Contains("\"タイトル\"", fields.GetProperty("Before").GetString(), StringComparison.Ordinal);
        Assert.Contains("\"見出し\"", fields.GetProperty("After").GetString(), StringComparison.Ordinal);

        // A rule alone (the maximum length) is a change too.
        reread.Fields[0].MaxLength = 50;
        Assert.True((await SaveAsync(reread)).Succeeded);
        Assert.Equal(50, (await factory.WithContentAsync((types, _) => types.FindAsync(stored.Id)))!.Fields[0].MaxLength);
    }

    [Fact]
    public async Task A_field_without_any_label_is_refused_and_nothing_is_saved()
    {
        using var culture = new CultureScope("en");
        var apiId = Api();

        var result = await SaveAsync(new ContentType
        {
            Name = "No label",
            ApiId = apiId,
            Fields = [new FieldDefinition { Key = "title", LabelEn = " ", LabelJa = "", Kind = FieldKind.ShortText }],
        });

        Assert.False(result.Succeeded);
        Assert.Contains("Field \"title\": give it a label in English or Japanese (one is enough).", result.Errors);
        Assert.Null(await factory.WithContentAsync((types, _) => types.FindByApiIdAsync(apiId)));
    }

    [Fact]
    public async Task Item_errors_name_the_field_by_the_UI_language_label_and_fall_back_to_the_other()
    {
        var type = (await SaveAsync(new ContentType
        {
            Name = "Messages",
            ApiId = Api(),
            Fields =
            [
                new FieldDefinition { Key = "title", LabelEn = "Title", LabelJa = "タイトル", Kind = FieldKind.ShortText, Required = true, Unique = true },
                new FieldDefinition { Key = "code", LabelEn = "Code", Kind = FieldKind.ShortText, Unique = true },
            ],
        })).Value!;
        var first = new ContentItemInput { TypeId = type.Id, Slug = "first" };
        first.Ja["title"] = "同じ";
        first.Ja["code"] = "A1";
        Assert.True((await factory.WithContentAsync((_, items) => items.SaveDraftAsync(first))).Succeeded);

        var second = new ContentItemInput { TypeId = type.Id, Slug = "second" };
        second.Ja["title"] = "同じ";
        second.Ja["code"] = "A1";
        using (new CultureScope("ja"))
        {
            var refused = await factory.WithContentAsync((_, items) => items.SaveDraftAsync(second));
            Assert.Contains(refused.FieldErrors, e => e.Field == "ja.title" && e.Message.StartsWith("タイトル（日本語）", StringComparison.Ordinal));
            // No Japanese label: the English one.
            Assert.Contains(refused.FieldErrors, e => e.Field == "ja.code" && e.Message.StartsWith("Code（日本語）", StringComparison.Ordinal));
        }
        using (new CultureScope("en"))
        {
            var refused = await factory.WithContentAsync((_, items) => items.SaveDraftAsync(second));
            Assert.Contains(refused.FieldErrors, e => e.Field == "ja.title" && e.Message.StartsWith("Title (Japanese)", StringComparison.Ordinal));
        }
    }
}
