using Kuroco.Core.Common;
using Kuroco.Core.Mail;
using Kuroco.Tests.Support;

namespace Kuroco.Tests.Unit.Mail;

public sealed class MailMessageValidatorTests
{
    private static readonly MailMessage Valid = new("officer@example.jp", "Security Officer", "Audit alert", "Body\nwith lines is fine.");

    private readonly MailMessageValidator validator = new();

    public static TheoryData<string, string> Injections()
    {
        var data = new TheoryData<string, string>();
        foreach (var field in new[] { "address", "name", "subject" })
        {
            foreach (var breaker in new[] { "CR", "LF", "CRLF", "U+2028", "U+2029", "U+0085", "NUL" })
            {
                data.Add(field, breaker);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Injections))]
    public void A_line_break_in_a_header_value_is_rejected_as_header_injection(string field, string breaker)
    {
        var chars = breaker switch
        {
            "CR" => "\r",
            "LF" => "\n",
            "CRLF" => "\r\n",
            "U+2028" => "\u2028",
            "U+2029" => "\u2029",
            "U+0085" => "\u0085",
            _ => "\0",
        };
        var message = field switch
        {
            "address" => Valid with { ToAddress = "officer@example.jp" + chars + "Bcc: victim@example.com" },
            "name" => Valid with { ToName = "Officer" + chars + "Bcc: victim@example.com" },
            _ => Valid with { Subject = "Alert" + chars + "Bcc: victim@example.com" },
        };
        var property = field switch
        {
            "address" => nameof(MailMessage.ToAddress),
            "name" => nameof(MailMessage.ToName),
            _ => nameof(MailMessage.Subject),
        };

        using var culture = new CultureScope("en");
        var result = validator.Validate(message);

        Assert.False(result.IsValid);
        var error = Assert.Single(result.Errors, e => e.ErrorCode == "HeaderInjection");
        Assert.Equal(property, error.PropertyName);
        Assert.Equal("Line breaks (CR or LF) are not allowed in mail addresses, names or subjects.", error.ErrorMessage);
    }

    [Fact]
    public void A_valid_message_passes_and_a_missing_name_is_allowed()
    {
        Assert.True(validator.Validate(Valid).IsValid);
        Assert.True(validator.Validate(Valid with { ToName = null }).IsValid);
    }

    [Theory]
    [InlineData("not-an-address")]
    [InlineData("officer@")]
    [InlineData("@example.jp")]
    [InlineData("officer example@example.jp")]
    [InlineData("Officer <officer@example.jp>")]
    [InlineData("a@example.jp, b@example.jp")]
    [InlineData("a@example.jp;b@example.jp")]
    [InlineData(" officer@example.jp")]
    public void A_malformed_address_is_rejected(string address)
    {
        using var culture = new CultureScope("en");
        var result = validator.Validate(Valid with { ToAddress = address });
        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.PropertyName == nameof(MailMessage.ToAddress)
            && e.ErrorMessage == "The recipient address is not a valid email address.");
    }

    [Fact]
    public void Empty_address_and_subject_are_required()
    {
        using var culture = new CultureScope("en");
        var result = validator.Validate(Valid with { ToAddress = "", Subject = "" });
        Assert.Contains(result.Errors, e => e.PropertyName == nameof(MailMessage.ToAddress) && e.ErrorMessage == "A recipient address is required.");
        Assert.Contains(result.Errors, e => e.PropertyName == nameof(MailMessage.Subject) && e.ErrorMessage == "A subject is required.");
    }

    [Fact]
    public void Subject_and_name_lengths_are_limited()
    {
        Assert.True(validator.Validate(Valid with { Subject = new string('s', MailMessage.SubjectMaxLength) }).IsValid);
        Assert.False(validator.Validate(Valid with { Subject = new string('s', MailMessage.SubjectMaxLength + 1) }).IsValid);
        Assert.False(validator.Validate(Valid with { ToName = new string('n', MailMessage.NameMaxLength + 1) }).IsValid);
        Assert.False(validator.Validate(Valid with { Body = new string('b', MailMessage.BodyMaxLength + 1) }).IsValid);
    }

    [Fact]
    public void The_header_injection_message_is_japanese_under_ja_JP()
    {
        using var culture = new CultureScope("ja-JP");
        var result = validator.Validate(Valid with { Subject = "a\r\nb" });
        var error = Assert.Single(result.Errors);
        Assert.Equal("メールアドレス・名前・件名に改行(CR/LF)は使用できません。", error.ErrorMessage);
        Assert.Equal(CoreMessages.Get("Mail.HeaderLineBreak"), error.ErrorMessage);
    }
}
