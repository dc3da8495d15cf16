using Kuroco.Core.Security;
using Kuroco.Tests.Support;

namespace Kuroco.Tests.Unit.Security;

public sealed class PasswordRulesTests
{
    private const string Strong = "Orbit-Maple-93!dew";

    /// <summary>A policy with every rule off, so one test turns on exactly the rule it checks.</summary>
    private static PasswordPolicy Off() => new()
    {
        MinLength = 8,
        MaxLength = 64,
        RequireLowercase = false,
        RequireUppercase = false,
        RequireDigit = false,
        RequireSymbol = false,
        MinCharacterClasses = 0,
        RejectPersonalInfo = false,
        RejectCommonPasswords = false,
        MinStrengthScore = 0,
    };

    private static IReadOnlyList<string> Codes(PasswordPolicy policy, string password, string? email = null, string? name = null) =>
        [.. PasswordRules.Check(policy, password, email, name).Violations.Select(v => v.Code)];

    [Fact]
    public void The_defaults_accept_a_strong_password() =>
        Assert.True(PasswordRules.Check(new PasswordPolicy(), Strong, "someone@example.com", "Someone").IsValid);

    [Theory]
    [InlineData(11, true)]
    [InlineData(12, false)]
    [InlineData(64, false)]
    [InlineData(65, true)]
    public void Length_boundaries(int length, bool refused)
    {
        var policy = Off();
        policy.MinLength = 12;
        policy.MaxLength = 64;
        var codes = Codes(policy, new string('x', length));
        Assert.Equal(refused, codes.Contains(length < 12 ? PasswordRules.Codes.TooShort : PasswordRules.Codes.TooLong));
        Assert.Equal(refused ? 1 : 0, codes.Count);
    }

    [Fact]
    public void Length_counts_unicode_characters_not_utf16_units()
    {
        var policy = Off();
        policy.MinLength = 8;
        // Eight emoji are 16 UTF-16 units but 8 characters; seven are too few.
        Assert.Empty(Codes(policy, string.Concat(Enumerable.Repeat("😀", 8))));
        Assert.Contains(PasswordRules.Codes.TooShort, Codes(policy, string.Concat(Enumerable.Repeat("😀", 7))));
    }

    [Fact]
    public void Spaces_and_japanese_are_allowed()
    {
        var policy = Off();
        Assert.Empty(Codes(policy, "とても 長い パスワード です"));
    }

    [Theory]
    [InlineData(PasswordRules.Codes.Lowercase, "ABCDEFGH12!x", "ABCDEFGH12!X")]
    [InlineData(PasswordRules.Codes.Uppercase, "abcdefgh12!X", "abcdefgh12!x")]
    [InlineData(PasswordRules.Codes.Digit, "abcdefgh!X1y", "abcdefgh!Xyy")]
    [InlineData(PasswordRules.Codes.Symbol, "abcdefgh1X!y", "abcdefgh1Xyy")]
    public void Each_character_class_is_required_when_set(string code, string with, string without)
    {
        var policy = Off();
        policy.RequireLowercase = code == PasswordRules.Codes.Lowercase;
        policy.RequireUppercase = code == PasswordRules.Codes.Uppercase;
        policy.RequireDigit = code == PasswordRules.Codes.Digit;
        policy.RequireSymbol = code == PasswordRules.Codes.Symbol;
        Assert.Empty(Codes(policy, with));
        Assert.Equal([code], Codes(policy, without));
        policy.RequireLowercase = policy.RequireUppercase = policy.RequireDigit = policy.RequireSymbol = false;
        Assert.Empty(Codes(policy, without));
    }

    [Fact]
    public void A_space_or_a_caseless_letter_counts_as_a_symbol()
    {
        var policy = Off();
        policy.RequireSymbol = true;
        Assert.Empty(Codes(policy, "abc defghij"));
        Assert.Empty(Codes(policy, "abcdefghijあ"));
    }

    [Theory]
    [InlineData("abcdefghijkl", 1)]
    [InlineData("abcdefghijkL", 2)]
    [InlineData("abcdefghijL1", 3)]
    [InlineData("abcdefghiL1!", 4)]
    public void Minimum_character_classes_boundary(string password, int classes)
    {
        var policy = Off();
        policy.MinCharacterClasses = classes;
        Assert.Empty(Codes(policy, password));
        policy.MinCharacterClasses = classes + 1;
        if (classes < 4)
        {
            Assert.Equal([PasswordRules.Codes.CharacterClasses], Codes(policy, password));
        }
    }

    [Theory]
    [InlineData("Hanako-Orbit-93!", "hanako.yamada@example.com", "Someone")]
    [InlineData("xYAMADA-orbit-93!", "hanako.yamada@example.com", "Someone")]
    [InlineData("Orbit-Tanaka-93!", "someone@example.com", "Taro Tanaka")]
    public void Personal_information_is_refused(string password, string email, string name)
    {
        var policy = Off();
        policy.RejectPersonalInfo = true;
        Assert.Equal([PasswordRules.Codes.PersonalInfo], Codes(policy, password, email, name));
        policy.RejectPersonalInfo = false;
        Assert.Empty(Codes(policy, password, email, name));
    }

    [Fact]
    public void Very_short_name_parts_do_not_count_as_personal_information()
    {
        var policy = Off();
        policy.RejectPersonalInfo = true;
        Assert.Empty(Codes(policy, "Orbit-Maple-93!jo", "jo@example.com", "Jo"));
    }

    [Theory]
    [InlineData("password")]
    [InlineData("PASSWORD")]
    [InlineData("qwerty")]
    [InlineData("iloveyou")]
    public void Common_passwords_are_refused_ignoring_case(string password)
    {
        var policy = Off();
        policy.MinLength = 6;
        policy.RejectCommonPasswords = true;
        Assert.True(PasswordRules.IsCommon(password));
        Assert.Equal([PasswordRules.Codes.Common], Codes(policy, password));
    }

    [Fact]
    public void A_password_containing_a_common_one_is_not_itself_common() =>
        Assert.False(PasswordRules.IsCommon(Strong));

    [Fact]
    public void Strength_score_boundary()
    {
        var weak = "Password123!";
        var score = PasswordRules.Score(weak);
        Assert.True(score < 2);
        var policy = Off();
        policy.MinStrengthScore = score;
        Assert.Empty(Codes(policy, weak));
        policy.MinStrengthScore = score + 1;
        Assert.Equal([PasswordRules.Codes.Weak], Codes(policy, weak));
        Assert.Equal(4, PasswordRules.Score(Strong));
    }

    [Fact]
    public void The_users_own_details_lower_the_score()
    {
        const string password = "Kurosawa-Hanako1";
        Assert.True(PasswordRules.Score(password, "kurosawa.hanako@example.com", "Hanako Kurosawa") < PasswordRules.Score(password));
    }

    [Fact]
    public void Very_long_passwords_are_scored_quickly()
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        PasswordRules.Check(new PasswordPolicy { MaxLength = 1024 }, new string('a', 1000) + "B1!");
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Messages_name_the_rule_in_english_and_japanese()
    {
        using (new CultureScope("en"))
        {
            var v = Assert.Single(PasswordRules.Check(new PasswordPolicy { MinLength = 20, MinStrengthScore = 0 }, Strong).Violations);
            Assert.Equal("The password must be at least 20 characters long.", v.Message);
        }
        using (new CultureScope("ja-JP"))
        {
            var v = Assert.Single(PasswordRules.Check(new PasswordPolicy { MinLength = 20, MinStrengthScore = 0 }, Strong).Violations);
            Assert.Equal("パスワードは20文字以上にしてください。", v.Message);
        }
    }

    [Fact]
    public void Describe_lists_the_rules()
    {
        using var culture = new CultureScope("en");
        Assert.Equal("12 to 128 characters, a lowercase letter, an uppercase letter, a digit, a symbol, different from your last 5 passwords",
            PasswordRules.Describe(new PasswordPolicy()));
    }
}
