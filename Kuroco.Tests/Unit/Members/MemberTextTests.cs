using Kuroco.Core.Members;

namespace Kuroco.Tests.Unit.Members;

public sealed class MemberTextTests
{
    [Theory]
    [InlineData(" Hanako@Example.JP ", "hanako@example.jp")]
    [InlineData("ｈａｎａｋｏ＠ｅｘａｍｐｌｅ．ｊｐ", "hanako@example.jp")]
    [InlineData(null, "")]
    public void An_address_is_folded_to_one_key(string? email, string expected) =>
        Assert.Equal(expected, MemberText.NormalizeEmail(email));

    [Theory]
    [InlineData("ヤマダ　ハナコ", "やまだ はなこ")]
    [InlineData("ﾔﾏﾀﾞ ﾊﾅｺ", "やまだ はなこ")]
    [InlineData("ＹＡＭＡＤＡ  Hanako", "yamada hanako")]
    [InlineData("山田 花子", "山田 花子")]
    [InlineData("  ", "")]
    public void Search_text_ignores_width_case_and_the_kind_of_kana(string text, string expected) =>
        Assert.Equal(expected, MemberText.Fold(text));

    [Fact]
    public void A_member_is_found_by_a_part_of_any_of_its_names_typed_in_another_form()
    {
        var member = new Member { Email = "Hanako.Yamada@example.jp", DisplayName = "山田 花子", NameKana = "ヤマダ ハナコ" };
        member.RefreshDerivedFields();
        Assert.Equal("hanako.yamada@example.jp", member.NormalizedEmail);
        Assert.Contains(MemberText.Fold("ﾊﾅｺ"), member.SearchText, StringComparison.Ordinal);
        Assert.Contains(MemberText.Fold("はなこ"), member.SearchText, StringComparison.Ordinal);
        Assert.Contains(MemberText.Fold("ＹＡＭＡＤＡ"), member.SearchText, StringComparison.Ordinal);
        Assert.Contains(MemberText.Fold("花子"), member.SearchText, StringComparison.Ordinal);
        // The separator keeps a query from matching across two fields.
        Assert.DoesNotContain(MemberText.Fold("example.jp山田"), member.SearchText, StringComparison.Ordinal);
    }

    [Fact]
    public void Secrets_are_random_url_safe_and_kept_only_as_a_hash()
    {
        var secrets = Enumerable.Range(0, 20).Select(_ => MemberSecrets.Generate()).ToList();
        Assert.Equal(secrets.Count, secrets.Distinct(StringComparer.Ordinal).Count());
        Assert.All(secrets, s => Assert.Matches("^[A-Za-z0-9_-]{43}$", s));
        var hash = MemberSecrets.Hash(secrets[0]);
        Assert.Matches("^[0-9a-f]{64}$", hash);
        Assert.True(MemberSecrets.Matches(secrets[0], hash));
        Assert.False(MemberSecrets.Matches(secrets[1], hash));
    }
}
