using System.Text.Json;
using Kuroco.Core.Content;

namespace Kuroco.Tests.Unit.Content;

/// <summary>Typed JSON in, the stored string form out (the inverse of ContentValues.ToTyped), or a message naming the expected JSON type.</summary>
public sealed class ContentJsonValuesTests
{
    private static (bool Ok, string? Value, string? Error) Convert(FieldKind kind, string json)
    {
        var ok = ContentJsonValues.TryConvert(new FieldDefinition { Key = "f", LabelEn = "F", Kind = kind }, JsonDocument.Parse(json).RootElement, out var value, out var error);
        return (ok, value, error);
    }

    [Theory]
    [InlineData(FieldKind.ShortText, "\"hello\"", "hello")]
    [InlineData(FieldKind.RichText, "\"<p>x</p>\"", "<p>x</p>")]
    [InlineData(FieldKind.Number, "12.50", "12.50")]
    [InlineData(FieldKind.Number, "-3", "-3")]
    [InlineData(FieldKind.Boolean, "true", "true")]
    [InlineData(FieldKind.Boolean, "false", "false")]
    [InlineData(FieldKind.DateTime, "\"2026-11-26T09:00:00+09:00\"", "2026-11-26T00:00:00.0000000Z")]
    [InlineData(FieldKind.DateTime, "\"2026-11-26T09:00:00\"", "2026-11-26T09:00:00.0000000Z")]
    [InlineData(FieldKind.Tags, "[\"a\", \"b\"]", "a\nb")]
    [InlineData(FieldKind.MultipleChoice, "[]", "")]
    [InlineData(FieldKind.Reference, "\"3f2504e0-4f89-11d3-9a0c-0305e82c3301\"", "3f2504e0-4f89-11d3-9a0c-0305e82c3301")]
    [InlineData(FieldKind.ShortText, "null", null)]
    public void Values_of_the_right_json_type_are_converted(FieldKind kind, string json, string? expected)
    {
        var (ok, value, error) = Convert(kind, json);
        Assert.True(ok, error);
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData(FieldKind.ShortText, "42", "JSON string")]
    [InlineData(FieldKind.Number, "\"12\"", "JSON number")]
    [InlineData(FieldKind.Number, "1e40", "out of the range")]
    [InlineData(FieldKind.Boolean, "\"true\"", "true or false")]
    [InlineData(FieldKind.Boolean, "1", "true or false")]
    [InlineData(FieldKind.DateTime, "\"tomorrow\"", "ISO 8601")]
    [InlineData(FieldKind.DateTime, "20261126", "ISO 8601")]
    [InlineData(FieldKind.Tags, "\"a\"", "array of strings")]
    [InlineData(FieldKind.Tags, "[1]", "array of strings")]
    [InlineData(FieldKind.Tags, "[\"a\\nb\"]", "line breaks")]
    [InlineData(FieldKind.Media, "7", "GUID")]
    [InlineData(FieldKind.SingleChoice, "[\"a\"]", "JSON string")]
    public void A_wrong_json_type_is_refused_saying_what_is_expected(FieldKind kind, string json, string expected)
    {
        var (ok, _, error) = Convert(kind, json);
        Assert.False(ok);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
