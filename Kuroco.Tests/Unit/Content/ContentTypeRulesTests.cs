using Kuroco.Core.Content;
using Kuroco.Tests.Support;

namespace Kuroco.Tests.Unit.Content;

public sealed class ContentTypeRulesTests
{
    private static FieldDefinition F(string key, FieldKind kind, string? target = null) =>
        new() { Key = key, LabelEn = key, Kind = kind, ReferenceTypeApiId = target, Choices = kind is FieldKind.SingleChoice or FieldKind.MultipleChoice ? ["a"] : [] };

    [Theory]
    [InlineData(FieldKind.ShortText, FieldKind.LongText)]
    [InlineData(FieldKind.ShortText, FieldKind.RichText)]
    [InlineData(FieldKind.LongText, FieldKind.Markdown)]
    [InlineData(FieldKind.Markdown, FieldKind.RichText)]
    [InlineData(FieldKind.RichText, FieldKind.LongText)]
    [InlineData(FieldKind.Number, FieldKind.ShortText)]
    [InlineData(FieldKind.Boolean, FieldKind.ShortText)]
    [InlineData(FieldKind.DateTime, FieldKind.LongText)]
    [InlineData(FieldKind.SingleChoice, FieldKind.MultipleChoice)]
    [InlineData(FieldKind.SingleChoice, FieldKind.Tags)]
    [InlineData(FieldKind.MultipleChoice, FieldKind.Tags)]
    public void Conversions_that_keep_every_value_are_allowed(FieldKind from, FieldKind to) =>
        Assert.Null(ContentTypeChanges.ExplainKindChange(F("x", from), F("x", to)));

    [Theory]
    [InlineData(FieldKind.ShortText, FieldKind.Number)]
    [InlineData(FieldKind.LongText, FieldKind.ShortText)]
    [InlineData(FieldKind.RichText, FieldKind.ShortText)]
    [InlineData(FieldKind.ShortText, FieldKind.Boolean)]
    [InlineData(FieldKind.ShortText, FieldKind.DateTime)]
    [InlineData(FieldKind.ShortText, FieldKind.Media)]
    [InlineData(FieldKind.Number, FieldKind.Boolean)]
    [InlineData(FieldKind.Tags, FieldKind.SingleChoice)]
    [InlineData(FieldKind.MultipleChoice, FieldKind.SingleChoice)]
    [InlineData(FieldKind.Tags, FieldKind.MultipleChoice)]
    [InlineData(FieldKind.Media, FieldKind.Reference)]
    public void Conversions_that_could_lose_values_are_refused_with_an_explanation(FieldKind from, FieldKind to)
    {
        using var culture = new CultureScope("en");
        var reason = ContentTypeChanges.ExplainKindChange(F("x", from), F("x", to));
        Assert.NotNull(reason);
        Assert.Contains("Field \"x\"", reason);
        Assert.Contains("without losing existing values", reason);
    }

    [Fact]
    public void A_reference_cannot_change_its_target_type()
    {
        Assert.NotNull(ContentTypeChanges.ExplainKindChange(F("r", FieldKind.Reference, "news"), F("r", FieldKind.Reference, "products")));
        Assert.Null(ContentTypeChanges.ExplainKindChange(F("r", FieldKind.Reference, "news"), F("r", FieldKind.Reference, "news")));
    }

    [Fact]
    public void Removing_a_field_archives_it_and_re_adding_the_key_restores_it()
    {
        var stored = new List<FieldDefinition> { F("title", FieldKind.ShortText), F("body", FieldKind.RichText) };

        var (errors, merged) = ContentTypeChanges.Merge(stored, [F("title", FieldKind.ShortText)]);

        Assert.Empty(errors);
        Assert.Equal(["title", "body"], merged.Select(f => f.Key));
        Assert.True(merged.Single(f => f.Key == "body").IsArchived);

        var (again, back) = ContentTypeChanges.Merge(merged, [F("title", FieldKind.ShortText), F("body", FieldKind.RichText)]);
        Assert.Empty(again);
        Assert.All(back, f => Assert.False(f.IsArchived));
    }

    [Fact]
    public void Merge_reports_refused_kind_changes()
    {
        var (errors, _) = ContentTypeChanges.Merge([F("price", FieldKind.ShortText)], [F("price", FieldKind.Number)]);
        Assert.Single(errors);
    }

    [Theory]
    [InlineData("news", true)]
    [InlineData("product-items2", true)]
    [InlineData("n", false)]
    [InlineData("News", false)]
    [InlineData("1news", false)]
    [InlineData("news_items", false)]
    [InlineData("news/items", false)]
    [InlineData("ニュース", false)]
    public void Type_api_identifiers_follow_the_contract(string apiId, bool valid)
    {
        var type = new ContentType { Name = "News", ApiId = apiId };
        Assert.Equal(valid, new ContentTypeValidator().Validate(type).IsValid);
        Assert.Equal(valid, ContentIdentifiers.ApiId().IsMatch(apiId));
    }

    [Fact]
    public void Type_validator_checks_fields()
    {
        using var culture = new CultureScope("en");
        var type = new ContentType
        {
            Name = "News",
            ApiId = "news",
            Fields =
            [
                new FieldDefinition { Key = "title", LabelEn = "Title", Kind = FieldKind.ShortText, MinLength = 5, MaxLength = 2 },
                new FieldDefinition { Key = "Title", LabelEn = "Dup", Kind = FieldKind.ShortText },
                new FieldDefinition { Key = "color", LabelEn = "Color", Kind = FieldKind.SingleChoice },
                new FieldDefinition { Key = "code", LabelEn = "Code", Kind = FieldKind.ShortText, Pattern = "([a-z" },
                new FieldDefinition { Key = "rel", LabelEn = "Rel", Kind = FieldKind.Reference },
                new FieldDefinition { Key = "1bad", LabelEn = "", Kind = FieldKind.Boolean, Unique = true },
            ],
        };
        var messages = new ContentTypeValidator().Validate(type).Errors.Select(e => e.ErrorMessage).ToList();
        Assert.Contains("Each field needs its own key (archived fields keep theirs).", messages);
        Assert.Contains("Field \"title\": the minimum length is larger than the maximum.", messages);
        Assert.Contains("Field \"color\": give 1 to 100 choices.", messages);
        Assert.Contains(messages, m => m.StartsWith("Field \"code\": the pattern is not a valid", StringComparison.Ordinal));
        Assert.Contains("Field \"rel\": choose the content type it refers to.", messages);
        Assert.Contains(messages, m => m.StartsWith("Field key \"1bad\"", StringComparison.Ordinal));
        Assert.Contains("Field \"1bad\": give it a label in English or Japanese (one is enough).", messages);
        Assert.Contains("Field \"1bad\": this kind cannot be unique.", messages);
    }

    [Fact]
    public void Item_validator_requires_the_primary_language_and_checks_a_started_secondary_one()
    {
        using var culture = new CultureScope("en");
        var type = new ContentType
        {
            Name = "News",
            ApiId = "news",
            Fields =
            [
                new FieldDefinition { Key = "title", LabelEn = "Title", Kind = FieldKind.ShortText, Required = true },
                new FieldDefinition { Key = "old", LabelEn = "Old", Kind = FieldKind.ShortText, Required = true, IsArchived = true },
            ],
        };
        var validator = new ContentItemValidator();
        var input = new ContentItemInput { Slug = "hello" };
        var candidate = new ContentItemCandidate(type, ContentLanguages.Japanese, input);
        var errors = validator.Validate(candidate).Errors;
        Assert.Equal(["Title (Japanese): a value is required."], errors.Select(e => e.ErrorMessage));
        Assert.Equal("ja.title", errors[0].PropertyName);

        input.Ja["title"] = "こんにちは";
        Assert.True(validator.Validate(candidate).IsValid);

        input.En["summary"] = "started"; // English begun: its required fields apply too
        Assert.Equal(["Title (English): a value is required."], validator.Validate(candidate).Errors.Select(e => e.ErrorMessage));
    }

    [Theory]
    [InlineData("spring-sale-2026", true)]
    [InlineData("a", true)]
    [InlineData("Spring", false)]
    [InlineData("a--b", false)]
    [InlineData("-a", false)]
    [InlineData("a/b", false)]
    [InlineData("", false)]
    public void Slugs_are_url_safe(string slug, bool valid)
    {
        var candidate = new ContentItemCandidate(new ContentType { Name = "N", ApiId = "news" }, ContentLanguages.Japanese, new ContentItemInput { Slug = slug });
        Assert.Equal(valid, ContentItemValidator.Instance.Validate(candidate).IsValid);
    }

    [Fact]
    public void Fallback_language_answers_when_the_item_lacks_the_requested_one()
    {
        var options = new ContentOptions { FallbackLanguage = "ja" };
        Assert.Equal("en", options.Resolve("en", hasJa: true, hasEn: true));
        Assert.Equal("ja", options.Resolve("en", hasJa: true, hasEn: false));
        Assert.Null(options.Resolve("en", hasJa: false, hasEn: false));
        Assert.Null(new ContentOptions { FallbackLanguage = "" }.Resolve("en", hasJa: true, hasEn: false));
    }
}
