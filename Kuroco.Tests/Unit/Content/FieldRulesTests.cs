using Kuroco.Core.Content;
using Kuroco.Tests.Support;

namespace Kuroco.Tests.Unit.Content;

public sealed class FieldRulesTests
{
    private static FieldDefinition Field(FieldKind kind, Action<FieldDefinition>? configure = null)
    {
        var field = new FieldDefinition { Key = "f", LabelEn = "Title", Kind = kind };
        configure?.Invoke(field);
        return field;
    }

    private static IReadOnlyList<string> Check(FieldDefinition field, string? value, bool requireValue = true)
    {
        using var culture = new CultureScope("en");
        return FieldRules.Validate(field, value, "Title", requireValue);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Required_text_refuses_empty_and_blank(string? value)
    {
        var errors = Check(Field(FieldKind.ShortText, f => f.Required = true), value);
        Assert.Equal(["Title: a value is required."], errors);
    }

    [Fact]
    public void Required_is_not_enforced_for_an_optional_language_variant()
    {
        Assert.Empty(Check(Field(FieldKind.ShortText, f => f.Required = true), null, requireValue: false));
    }

    [Fact]
    public void Optional_empty_values_pass_every_kind()
    {
        foreach (var kind in Enum.GetValues<FieldKind>())
        {
            Assert.Empty(Check(Field(kind, f => f.Choices = ["a"]), null));
        }
    }

    [Theory]
    [InlineData("abc", true)]
    [InlineData("ab", false)]
    [InlineData("abcde", true)]
    [InlineData("abcdef", false)]
    public void Length_boundaries_are_inclusive(string value, bool valid)
    {
        var errors = Check(Field(FieldKind.LongText, f => { f.MinLength = 3; f.MaxLength = 5; }), value);
        Assert.Equal(valid, errors.Count == 0);
    }

    [Fact]
    public void Length_counts_characters_as_people_see_them()
    {
        // Five Japanese characters and an emoji with a skin tone are 6 text elements.
        Assert.Empty(Check(Field(FieldKind.ShortText, f => f.MaxLength = 6), "日本語です👍🏽"));
    }

    [Fact]
    public void Length_messages_name_the_field_and_the_limit()
    {
        Assert.Equal(["Title: at least 3 characters."], Check(Field(FieldKind.ShortText, f => f.MinLength = 3), "ab"));
        Assert.Equal(["Title: at most 2 characters."], Check(Field(FieldKind.ShortText, f => f.MaxLength = 2), "abc"));
    }

    [Fact]
    public void Short_text_is_one_line()
    {
        Assert.Equal(["Title: must be a single line."], Check(Field(FieldKind.ShortText), "a\nb"));
        Assert.Empty(Check(Field(FieldKind.LongText), "a\nb"));
    }

    [Theory]
    [InlineData("10", true)]
    [InlineData("9.99", false)]
    [InlineData("20", true)]
    [InlineData("20.01", false)]
    [InlineData("-5", false)]
    [InlineData("abc", false)]
    [InlineData("1e3", false)]
    public void Number_range_is_inclusive_and_values_must_parse(string value, bool valid)
    {
        var errors = Check(Field(FieldKind.Number, f => { f.MinValue = 10; f.MaxValue = 20; }), value);
        Assert.Equal(valid, errors.Count == 0);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("false", true)]
    [InlineData("yes", false)]
    public void Boolean_is_true_or_false(string value, bool valid) =>
        Assert.Equal(valid, Check(Field(FieldKind.Boolean), value).Count == 0);

    [Theory]
    [InlineData("2026-11-26T01:02:03.0000000Z", true)]
    [InlineData("2026-11-26", true)]
    [InlineData("tomorrow", false)]
    public void Date_time_must_parse(string value, bool valid) =>
        Assert.Equal(valid, Check(Field(FieldKind.DateTime), value).Count == 0);

    [Theory]
    [InlineData(FieldKind.Media)]
    [InlineData(FieldKind.Reference)]
    public void Media_and_reference_hold_a_non_empty_guid(FieldKind kind)
    {
        Assert.Empty(Check(Field(kind), Guid.NewGuid().ToString()));
        Assert.NotEmpty(Check(Field(kind), Guid.Empty.ToString()));
        Assert.NotEmpty(Check(Field(kind), "../../etc/passwd"));
    }

    [Fact]
    public void Single_choice_must_be_one_of_the_choices()
    {
        var field = Field(FieldKind.SingleChoice, f => f.Choices = ["red", "green"]);
        Assert.Empty(Check(field, "red"));
        Assert.Equal(["Title: \"Red\" is not one of the choices."], Check(field, "Red"));
    }

    [Fact]
    public void Multiple_choice_checks_each_entry_and_the_count()
    {
        var field = Field(FieldKind.MultipleChoice, f => { f.Choices = ["a", "b", "c"]; f.MinLength = 2; f.MaxLength = 2; });
        Assert.Empty(Check(field, "a\nb"));
        Assert.Equal(["Title: choose at least 2."], Check(field, "a"));
        Assert.Equal(["Title: choose at most 2."], Check(field, "a\nb\nc"));
        Assert.Contains("Title: \"x\" is not one of the choices.", Check(field, "a\nx"));
    }

    [Fact]
    public void Tags_are_free_but_bounded()
    {
        var field = Field(FieldKind.Tags, f => f.MaxLength = 3);
        Assert.Empty(Check(field, "news\n東京\nsale"));
        Assert.NotEmpty(Check(field, "a\nb\nc\nd"));
        Assert.NotEmpty(Check(field, new string('x', FieldDefinition.ChoiceMaxLength + 1)));
    }

    [Fact]
    public void Pattern_must_match_the_whole_value()
    {
        var field = Field(FieldKind.ShortText, f => f.Pattern = "[A-Z]{3}-[0-9]+");
        Assert.Empty(Check(field, "ABC-123"));
        Assert.Equal(["Title: does not match the required pattern."], Check(field, "xABC-123"));
        Assert.NotEmpty(Check(field, "ABC-123x"));
    }

    [Fact]
    public void A_catastrophic_pattern_times_out_as_not_matching()
    {
        // (a+)+$ backtracks exponentially on "aaaa...b"; the timeout stops it.
        Assert.False(FieldRules.MatchesPattern("(a+)+b", new string('a', 5000) + "c"));
    }

    [Fact]
    public void Values_longer_than_the_absolute_limit_are_refused()
    {
        Assert.NotEmpty(Check(Field(FieldKind.RichText), new string('a', FieldRules.AbsoluteMaxLength + 1)));
    }

    [Fact]
    public void Messages_are_japanese_under_ja()
    {
        using var culture = new CultureScope("ja-JP");
        Assert.Equal(["タイトル: 入力が必要です。"], FieldRules.Validate(Field(FieldKind.ShortText, f => f.Required = true), "", "タイトル"));
    }
}
