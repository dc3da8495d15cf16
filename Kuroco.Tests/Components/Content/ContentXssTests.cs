using Bunit;
using Kuroco.Admin.Components.Pages.Content;
using Kuroco.Core.Content;
using Kuroco.Core.Staff;
using Kuroco.Tests.Integration.Content;
using Kuroco.Tests.Support;
using MudBlazor;

namespace Kuroco.Tests.Components.Content;

/// <summary>An XSS payload saved in every text-bearing field kind is encoded in the editor and preview, and removed from rich text.</summary>
public sealed class ContentXssTests(ContentAppFactory factory) : IClassFixture<ContentAppFactory>
{
    private const string Payload = "<script>alert('x')</script><img src=x onerror=alert(1)><a href=\"javascript:alert(2)\">y</a>";

    [Fact]
    public async Task Payloads_in_every_kind_never_become_markup()
    {
        var kinds = new[] { FieldKind.ShortText, FieldKind.LongText, FieldKind.Markdown, FieldKind.RichText, FieldKind.Tags, FieldKind.SingleChoice, FieldKind.MultipleChoice };
        var type = (await factory.WithContentAsync((types, _) => types.SaveAsync(new ContentType
        {
            Name = "XSS <b>type</b>",
            ApiId = "xss-" + Guid.NewGuid().ToString("N")[..8],
            Fields = [.. kinds.Select(k => new FieldDefinition
            {
                Key = k.ToString().ToLowerInvariant(),
                LabelEn = "Label " + k + " <i>x</i>",
                Kind = k,
                Choices = k is FieldKind.SingleChoice or FieldKind.MultipleChoice ? [Payload.Replace("\n", "", StringComparison.Ordinal)] : [],
            })],
        }))).Value!;
        var input = new ContentItemInput { TypeId = type.Id, Slug = "xss" };
        foreach (var kind in kinds)
        {
            input.Ja[kind.ToString().ToLowerInvariant()] = Payload;
        }
        var saved = await factory.WithContentAsync((_, items) => items.SaveDraftAsync(input));
        Assert.True(saved.Succeeded, string.Join(" ", saved.Errors));

        await using var test = new ComponentTestContext(factory);
        test.SignIn("editor-id", "editor@test.local", StaffRoles.ContentEditor);
        test.Context.Render<MudDialogProvider>();
        var editor = test.Context.Render<ContentItemEditor>(p => p.Add(e => e.Id, saved.Value!.Id));
        editor.WaitForAssertion(() => editor.Find("[data-testid=value-ja-shorttext]"), TimeSpan.FromSeconds(10));
        AssertInert(editor);

        editor.FindAll(".mud-tab")[2].Click(); // Preview
        editor.WaitForAssertion(() => editor.Find("[data-testid=preview-ja]"), TimeSpan.FromSeconds(10));
        AssertInert(editor);
        Assert.Contains("&lt;script&gt;", editor.Find("[data-testid=preview-ja]").InnerHtml); // plain text shown as text
    }

    private static void AssertInert(IRenderedComponent<ContentItemEditor> editor)
    {
        Assert.Empty(editor.FindAll("script"));
        // Rich text may keep a harmless <img src="x"> (its handler removed); every other kind shows the payload as text.
        Assert.True(editor.FindAll("img").Count <= 1);
        Assert.Empty(editor.FindAll("[onerror]"));
        Assert.Empty(editor.FindAll("a[href^='javascript']"));
        Assert.Empty(editor.FindAll("b, i"));
    }
}
