using Kuroco.Core.Content;

namespace Kuroco.Tests.Unit.Content;

/// <summary>The slug suggested from a new item's titles (Kuroco.Core/Content/ContentSlugs.cs).</summary>
public sealed class ContentSlugsTests
{
    private static readonly DateOnly Today = new(2026, 12, 6);

    [Theory]
    [InlineData("Spring sale 2026", "spring-sale-2026")]
    [InlineData("  Hello,   World!  ", "hello-world")]
    [InlineData("Café déjà vu", "cafe-deja-vu")]
    [InlineData("Editor's choice: Q&A", "editors-choice-q-a")]
    [InlineData("Straße & Ærø", "strasse-aero")]
    [InlineData("ＦＵＬＬ－ｗｉｄｔｈ １２３", "full-width-123")]
    [InlineData("Tokyo 東京 event", "tokyo-event")]
    [InlineData("C# / .NET 10 — what's new?", "c-net-10-whats-new")]
    public void The_English_title_gives_lower_case_ascii_words_joined_by_hyphens(string title, string expected)
    {
        var slug = ContentSlugs.Suggest(title, "日本語のタイトル", Today);

        Assert.Equal(expected, slug);
        Assert.Matches(ContentIdentifiers.Slug(), slug);
    }

    [Fact]
    public void A_Japanese_only_title_falls_back_to_the_date_with_the_first_free_number()
    {
        Assert.Equal("2026-12-06-1", ContentSlugs.Suggest(null, "新製品のお知らせ", Today));
        Assert.Equal("2026-12-06-1", ContentSlugs.Suggest("", "カタカナだけ", Today));
        Assert.Equal("2026-12-06-3", ContentSlugs.Suggest("  ", "新製品", Today, new HashSet<string> { "2026-12-06-1", "2026-12-06-2" }));
        Assert.True(ContentSlugs.NeedsDate(null, "新製品"));
        Assert.False(ContentSlugs.NeedsDate("New product", "新製品"));
    }

    [Fact]
    public void A_Japanese_title_in_latin_letters_is_used_but_a_mixed_one_is_not_cut_down_to_its_latin_part()
    {
        Assert.Equal("kuroco-2-0", ContentSlugs.Suggest(null, "Kuroco 2.0", Today));
        Assert.Equal("2026-12-06-1", ContentSlugs.Suggest(null, "Kuroco 2.0 リリース", Today));
        // An English title of another script alone has nothing to give: the Japanese one, then the date, decide.
        Assert.Equal("2026-12-06-1", ContentSlugs.Suggest("東京", "東京", Today));
    }

    [Fact]
    public void A_slug_the_caller_knows_to_be_taken_gets_a_number()
    {
        var taken = new HashSet<string> { "spring-sale", "spring-sale-2" };

        Assert.Equal("spring-sale-3", ContentSlugs.Suggest("Spring sale", null, Today, taken));
        Assert.Equal("autumn-sale", ContentSlugs.Suggest("Autumn sale", null, Today, taken));
    }

    [Fact]
    public void A_long_title_is_cut_after_a_whole_word()
    {
        var title = string.Join(' ', Enumerable.Repeat("word", 40));

        var slug = ContentSlugs.Suggest(title, null, Today);

        Assert.True(slug.Length <= ContentSlugs.SuggestionMaxLength, slug);
        Assert.EndsWith("-word", slug, StringComparison.Ordinal);
        Assert.Matches(ContentIdentifiers.Slug(), slug);
        var numbered = ContentSlugs.FirstFree(new string('a', ContentItem.SlugMaxLength), new HashSet<string> { new('a', ContentItem.SlugMaxLength) });
        Assert.Equal(ContentItem.SlugMaxLength, numbered.Length);
        Assert.EndsWith("-2", numbered, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("!!! ???")]
    [InlineData("😀🎉")]
    public void Titles_without_letters_or_digits_give_nothing(string? text) =>
        Assert.Null(ContentSlugs.FromText(text, latinOnly: false));

    [Fact]
    public void Every_suggestion_passes_the_slug_rule_of_the_item_validator()
    {
        string[] titles = ["A", "-a-", "ÀÉÎÕÜ", "x--y", "1 2 3", "Ⅻ century", "ﬁsh ﬂakes", "İstanbul"];
        foreach (var title in titles)
        {
            var slug = ContentSlugs.Suggest(title, null, Today);
            Assert.Matches(ContentIdentifiers.Slug(), slug);
        }
        Assert.Equal("aeiou", ContentSlugs.Suggest("ÀÉÎÕÜ", null, Today));
        Assert.Equal("fish-flakes", ContentSlugs.Suggest("ﬁsh ﬂakes", null, Today));
    }
}
