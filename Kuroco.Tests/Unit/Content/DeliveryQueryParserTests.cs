using Kuroco.Core.Content;

namespace Kuroco.Tests.Unit.Content;

public sealed class DeliveryQueryParserTests
{
    private static readonly ContentType Type = new()
    {
        ApiId = "products",
        Fields =
        [
            new FieldDefinition { Key = "title", Kind = FieldKind.ShortText },
            new FieldDefinition { Key = "summary", Kind = FieldKind.LongText },
            new FieldDefinition { Key = "body", Kind = FieldKind.RichText },
            new FieldDefinition { Key = "notes", Kind = FieldKind.Markdown },
            new FieldDefinition { Key = "price", Kind = FieldKind.Number },
            new FieldDefinition { Key = "featured", Kind = FieldKind.Boolean },
            new FieldDefinition { Key = "releasedAt", Kind = FieldKind.DateTime },
            new FieldDefinition { Key = "status", Kind = FieldKind.SingleChoice, Choices = ["active", "retired"] },
            new FieldDefinition { Key = "colors", Kind = FieldKind.MultipleChoice, Choices = ["red"] },
            new FieldDefinition { Key = "image", Kind = FieldKind.Media },
            new FieldDefinition { Key = "maker", Kind = FieldKind.Reference, ReferenceTypeApiId = "makers" },
            new FieldDefinition { Key = "tags", Kind = FieldKind.Tags },
            new FieldDefinition { Key = "labels", Kind = FieldKind.Tags },
            new FieldDefinition { Key = "old", Kind = FieldKind.Number, IsArchived = true },
        ],
    };

    private static (DeliveryQuery? Query, DeliveryQueryError? Error) Parse(params (string Key, string Value)[] query) =>
        DeliveryQueryParser.Parse(Type, query.GroupBy(q => q.Key).Select(g => KeyValuePair.Create(g.Key, g.Select(q => (string?)q.Value).ToArray())));

    private static DeliveryCondition Single(params (string Key, string Value)[] query)
    {
        var (parsed, error) = Parse(query);
        Assert.Null(error);
        return Assert.Single(parsed!.Conditions);
    }

    [Fact]
    public void Without_parameters_the_list_is_newest_first_without_conditions()
    {
        var (query, error) = Parse(("page", "2"), ("pageSize", "5"), ("lang", "en"), ("fields", "title"));
        Assert.Null(error);
        Assert.Empty(query!.Conditions);
        Assert.Equal([new DeliverySort(ContentIndexKeys.PublishedAt, true)], query.Sorts);
        Assert.Null(query.Cursor);
    }

    [Theory]
    [InlineData("filter[title]", "Alpha", DeliveryConditionKind.Match, "Alpha")]
    [InlineData("filter[title][eq]", "Alpha", DeliveryConditionKind.Match, "Alpha")]
    [InlineData("filter[title][ne]", "Alpha", DeliveryConditionKind.NotMatch, "Alpha")]
    [InlineData("filter[title][in]", "Alpha, Beta", DeliveryConditionKind.Match, "Alpha|Beta")]
    [InlineData("filter[title][contains]", "ALP%_", DeliveryConditionKind.Search, "alp%_")]
    [InlineData("filter[status][eq]", "active", DeliveryConditionKind.Match, "active")]
    [InlineData("filter[summary][contains]", "Word", DeliveryConditionKind.Search, "word")]
    [InlineData("filter[body][contains]", "Word", DeliveryConditionKind.Search, "word")]
    [InlineData("filter[notes][contains]", "Word", DeliveryConditionKind.Search, "word")]
    [InlineData("filter[price][lt]", "10", DeliveryConditionKind.Less, "100000000000000000000000000010.0000000000000000000000000000")]
    [InlineData("filter[price][gt]", "-1.5", DeliveryConditionKind.Greater, "099999999999999999999999999998.4999999999999999999999999999")]
    [InlineData("filter[price][eq]", "1e2", DeliveryConditionKind.Match, "100000000000000000000000000100.0000000000000000000000000000")]
    [InlineData("filter[featured]", "TRUE", DeliveryConditionKind.Match, "true")]
    [InlineData("filter[featured][ne]", "false", DeliveryConditionKind.NotMatch, "false")]
    [InlineData("filter[releasedAt][gt]", "2026-01-10", DeliveryConditionKind.Greater, "2026-01-10T00:00:00.0000000Z")]
    [InlineData("filter[releasedAt][lt]", "2026-01-10T09:30:00+09:00", DeliveryConditionKind.Less, "2026-01-10T00:30:00.0000000Z")]
    [InlineData("filter[publishedAt][gt]", "2026-01-10T09:30", DeliveryConditionKind.Greater, "2026-01-10T09:30:00.0000000Z")]
    [InlineData("filter[updatedAt][eq]", "2026-01-10T09:30:00.5Z", DeliveryConditionKind.Match, "2026-01-10T09:30:00.5000000Z")]
    [InlineData("filter[slug][contains]", "News", DeliveryConditionKind.Search, "news")]
    [InlineData("filter[colors][contains]", "red", DeliveryConditionKind.Match, "red")]
    [InlineData("filter[colors][in]", "red,blue", DeliveryConditionKind.Match, "red|blue")]
    [InlineData("filter[image]", "0F8FAD5B-D9CB-469F-A165-70867728950E", DeliveryConditionKind.Match, "0f8fad5b-d9cb-469f-a165-70867728950e")]
    [InlineData("filter[maker][ne]", "0f8fad5b-d9cb-469f-a165-70867728950e", DeliveryConditionKind.NotMatch, "0f8fad5b-d9cb-469f-a165-70867728950e")]
    public void Every_operator_becomes_a_condition_in_the_index_form(string key, string value, DeliveryConditionKind kind, string values)
    {
        var condition = Single((key, value));
        Assert.Equal(key, condition.Parameter);
        Assert.Equal(kind, condition.Kind);
        Assert.Equal(values.Split('|'), condition.Values);
    }

    [Fact]
    public void Tags_publication_range_and_several_filters_are_all_kept()
    {
        var (query, error) = Parse(("tag", "news"), ("tag", "sale"), ("publishedFrom", "2026-01-01"), ("publishedTo", "2026-02-01T00:00:00Z"),
            ("filter[price][gt]", "1"), ("filter[price][lt]", "9"));
        Assert.Null(error);
        Assert.Equal(6, query!.Conditions.Count);
        var tag = query.Conditions[0];
        Assert.Equal(["tags", "labels"], tag.Keys);
        Assert.Equal(DeliveryConditionKind.AtLeast, query.Conditions.Single(c => c.Parameter == "publishedFrom").Kind);
        Assert.Equal(DeliveryConditionKind.Less, query.Conditions.Single(c => c.Parameter == "publishedTo").Kind);
    }

    [Fact]
    public void Sort_takes_up_to_three_keys_with_directions()
    {
        var (query, error) = Parse(("sort", "status,-price,slug"), ("cursor", "abc"));
        Assert.Null(error);
        Assert.Equal([new DeliverySort("status", false), new DeliverySort("price", true), new DeliverySort(ContentIndexKeys.Slug, false)], query!.Sorts);
        Assert.Equal("status,-price,@slug", query.SortSignature);
        Assert.Equal("abc", query.Cursor);
    }

    [Theory]
    [InlineData("filter[nope]", "1")]
    [InlineData("filter[old]", "1")]
    [InlineData("filter[title][like]", "1")]
    [InlineData("filter[title][lt]", "a")]
    [InlineData("filter[title][contains]", "")]
    [InlineData("filter[title]", "a\0b")]
    [InlineData("filter[summary][eq]", "x")]
    [InlineData("filter[body][in]", "x")]
    [InlineData("filter[price][lt]", "ten")]
    [InlineData("filter[price][lt]", "1,5")]
    [InlineData("filter[price][contains]", "1")]
    [InlineData("filter[price][in]", "1,x")]
    [InlineData("filter[featured]", "yes")]
    [InlineData("filter[featured][lt]", "true")]
    [InlineData("filter[releasedAt][gt]", "10/01/2026")]
    [InlineData("filter[releasedAt][gt]", "2026-02-30")]
    [InlineData("filter[colors][eq]", "red")]
    [InlineData("filter[image]", "{0f8fad5b-d9cb-469f-a165-70867728950e}")]
    [InlineData("filter[maker][contains]", "0f8f")]
    [InlineData("filter", "1")]
    [InlineData("filter[]", "1")]
    [InlineData("filter[title][eq][x]", "1")]
    [InlineData("filterx", "1")]
    [InlineData("sort", "")]
    [InlineData("sort", "body")]
    [InlineData("sort", "colors")]
    [InlineData("sort", "title,price,slug,updatedAt")]
    [InlineData("sort", "title,-title")]
    [InlineData("sort", "--title")]
    [InlineData("publishedFrom", "yesterday")]
    [InlineData("publishedTo", "")]
    [InlineData("cursor", "")]
    public void A_bad_parameter_is_named_as_sent(string key, string value)
    {
        var (query, error) = Parse((key, value));
        Assert.Null(query);
        Assert.Equal(key, error!.Parameter);
        Assert.False(string.IsNullOrWhiteSpace(error.Detail));
    }

    [Fact]
    public void Limits_on_in_lists_filter_count_and_value_length()
    {
        Assert.Equal("filter[title][in]", Parse(("filter[title][in]", string.Join(',', Enumerable.Range(0, 51)))).Error!.Parameter);
        Assert.Equal("filter[title]", Parse(("filter[title]", new string('x', 1001))).Error!.Parameter);
        Assert.Equal("sort", Parse(("sort", "title"), ("sort", "price")).Error!.Parameter);
        var many = Enumerable.Range(0, 21).Select(i => ("filter[title][ne]", "v" + i)).ToArray();
        Assert.Equal("filter[title][ne]", Parse(many).Error!.Parameter);
    }

    [Fact]
    public void A_type_without_tags_refuses_tag()
    {
        var plain = new ContentType { ApiId = "plain", Fields = [new FieldDefinition { Key = "title", Kind = FieldKind.ShortText }] };
        var (_, error) = DeliveryQueryParser.Parse(plain, [KeyValuePair.Create("tag", new string?[] { "x" })]);
        Assert.Equal("tag", error!.Parameter);
    }

    [Theory]
    [InlineData("-100", "-2.5", "-0.0001", "0", "0.0001", "2.5", "10", "100", "79228162514264337593543950335")]
    public void Numbers_in_index_form_sort_as_numbers(params string[] ascending)
    {
        var encoded = ascending.Select(v => ContentIndexKeys.Number(decimal.Parse(v, System.Globalization.CultureInfo.InvariantCulture))).ToList();
        Assert.Equal(encoded, encoded.Order(StringComparer.Ordinal));
        Assert.All(encoded, e => Assert.Equal(encoded[0].Length, e.Length));
        Assert.True(string.CompareOrdinal("", encoded[0]) < 0); // empty values sort first
        Assert.Equal(ContentIndexKeys.Number(decimal.MinValue).Length, encoded[0].Length);
    }

    [Fact]
    public void Rich_text_is_searched_without_its_markup()
    {
        Assert.Equal(" hello  world  &amp; co ", ContentIndexKeys.SearchTextOf(FieldKind.RichText, "<p>Hello <b>World</b> &amp;amp; Co</p>"));
        Assert.Null(ContentIndexKeys.SearchTextOf(FieldKind.Number, "1"));
        Assert.Equal("", ContentIndexKeys.ValueOf(FieldKind.RichText, "<p>x</p>"));
        Assert.Equal(ContentIndexKeys.ValueMaxLength, ContentIndexKeys.ValueOf(FieldKind.ShortText, new string('x', 500)).Length);
    }
}
