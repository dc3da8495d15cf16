using Kuroco.Core.Content;
using Kuroco.Tests.Support;

namespace Kuroco.Tests.Unit.Content;

/// <summary>A field's English and Japanese labels: the UI language's one, else the other; at least one required.</summary>
public sealed class FieldLabelTests
{
    [Fact]
    public void Each_language_reads_its_own_label_and_falls_back_to_the_other_then_the_key()
    {
        var both = new FieldDefinition { Key = "price", LabelEn = "Price", LabelJa = "価格" };
        var englishOnly = new FieldDefinition { Key = "price", LabelEn = "Price" };
        var japaneseOnly = new FieldDefinition { Key = "price", LabelJa = "価格", LabelEn = "  " };
        var none = new FieldDefinition { Key = "price" };

        Assert.Equal("価格", both.LabelFor(ContentLanguages.Japanese));
        Assert.Equal("Price", both.LabelFor(ContentLanguages.English));
        Assert.Equal("Price", englishOnly.LabelFor(ContentLanguages.Japanese));
        Assert.Equal("価格", japaneseOnly.LabelFor(ContentLanguages.English));
        Assert.Equal("price", none.LabelFor(ContentLanguages.Japanese));
    }

    [Fact]
    public void The_display_label_and_messages_follow_the_UI_culture()
    {
        var field = new FieldDefinition { Key = "title", LabelEn = "Title", LabelJa = "タイトル", Kind = FieldKind.ShortText, Required = true };
        var type = new ContentType { Name = "News", ApiId = "news", Fields = [field] };
        var candidate = new ContentItemCandidate(type, ContentLanguages.Japanese, new ContentItemInput { Slug = "ok" });

        using (new CultureScope("ja"))
        {
            Assert.Equal("タイトル", field.DisplayLabel());
            Assert.Equal(ContentLanguages.Japanese, ContentLanguages.UiLanguage);
            Assert.Equal("タイトル（日本語）: 入力が必要です。", Assert.Single(ContentItemValidator.Instance.Validate(candidate).Errors).ErrorMessage);
        }
        using (new CultureScope("en-GB"))
        {
            Assert.Equal("Title", field.DisplayLabel());
            Assert.Equal("Title (Japanese): a value is required.", Assert.Single(ContentItemValidator.Instance.Validate(candidate).Errors).ErrorMessage);
        }
    }

    [Fact]
    public void One_label_is_enough_none_is_refused_and_each_has_the_length_limit()
    {
        using var culture = new CultureScope("en");
        var validator = new FieldDefinitionValidator();

        Assert.True(validator.Validate(new FieldDefinition { Key = "a", LabelJa = "名前", Kind = FieldKind.ShortText }).IsValid);
        Assert.True(validator.Validate(new FieldDefinition { Key = "a", LabelEn = "Name", Kind = FieldKind.ShortText }).IsValid);
        var none = validator.Validate(new FieldDefinition { Key = "a", LabelEn = " ", LabelJa = "", Kind = FieldKind.ShortText });
        Assert.Equal(["Field \"a\": give it a label in English or Japanese (one is enough)."], none.Errors.Select(e => e.ErrorMessage));
        var tooLong = new string('x', FieldDefinition.LabelMaxLength + 1);
        Assert.False(validator.Validate(new FieldDefinition { Key = "a", LabelEn = "Name", LabelJa = tooLong, Kind = FieldKind.ShortText }).IsValid);
        Assert.False(validator.Validate(new FieldDefinition { Key = "a", LabelEn = tooLong, LabelJa = "名前", Kind = FieldKind.ShortText }).IsValid);
    }

    [Fact]
    public void A_refused_kind_change_names_the_field_by_its_UI_language_label()
    {
        using var culture = new CultureScope("ja");
        var reason = ContentTypeChanges.ExplainKindChange(
            new FieldDefinition { Key = "price", LabelEn = "Price", LabelJa = "価格", Kind = FieldKind.ShortText },
            new FieldDefinition { Key = "price", LabelEn = "Price", LabelJa = "価格", Kind = FieldKind.Number });

        Assert.NotNull(reason);
        Assert.Contains("価格", reason, StringComparison.Ordinal);
    }
}
