using Kuroco.Core.Common;
using Kuroco.Tests.Support;

namespace Kuroco.Tests.Unit.Common;

public sealed class CoreMessagesTests
{
    [Theory]
    [InlineData("Mail.HeaderLineBreak", "メールアドレス・名前・件名に改行(CR/LF)は使用できません。")]
    [InlineData("Staff.LastAdministrator", "最後の有効な管理者を削除または無効化することはできません。")]
    [InlineData("Staff.EmailInvalid", "正しいメールアドレスを入力してください。")]
    public void Messages_are_japanese_under_ja_JP(string key, string japanese)
    {
        using var culture = new CultureScope("ja-JP");
        Assert.Equal(japanese, CoreMessages.Get(key));
    }

    [Fact]
    public void Messages_are_english_under_en_and_under_an_unsupported_culture()
    {
        using (new CultureScope("en"))
        {
            Assert.Equal("Enter a valid email address.", CoreMessages.Get("Staff.EmailInvalid"));
        }
        using (new CultureScope("fr-FR"))
        {
            Assert.Equal("Enter a valid email address.", CoreMessages.Get("Staff.EmailInvalid"));
        }
    }

    [Fact]
    public void Format_fills_in_arguments_in_each_language()
    {
        using (new CultureScope("en"))
        {
            Assert.Equal("Name must be at most 100 characters.", CoreMessages.Format("Staff.DisplayNameTooLong", 100));
        }
        using (new CultureScope("ja-JP"))
        {
            Assert.Equal("名前は100文字以内で入力してください。", CoreMessages.Format("Staff.DisplayNameTooLong", 100));
        }
    }

    [Fact]
    public void An_unknown_key_is_returned_as_is()
    {
        Assert.Equal("No.Such.Key", CoreMessages.Get("No.Such.Key"));
    }
}
