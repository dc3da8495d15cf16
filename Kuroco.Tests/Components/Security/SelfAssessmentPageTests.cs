using Bunit;
using Kuroco.Admin.Components.Pages.Security;
using Kuroco.Core.Staff;
using Kuroco.Tests.Support;

namespace Kuroco.Tests.Components.Security;

/// <summary>The self-assessment page in Japanese on the real app's settings.</summary>
public sealed class SelfAssessmentPageTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    [Fact]
    public async Task Lists_every_item_in_japanese_with_its_status_and_how_it_is_addressed()
    {
        await using var test = new ComponentTestContext(factory, "ja");
        test.SignIn("officer-id", "officer@test.local", StaffRoles.SecurityOfficer);
        var cut = test.Context.Render<SelfAssessment>();

        cut.WaitForAssertion(() => Assert.Equal(21, cut.FindAll("[data-testid=self-assessment-item]").Count), TimeSpan.FromSeconds(20));
        var rows = cut.FindAll("[data-testid=self-assessment-item]").ToDictionary(e => e.GetAttribute("data-code")!, e => e.ParentElement!);
        Assert.Contains("クリックジャッキング", rows["clickjacking"].TextContent);
        Assert.Contains("X-Frame-Options DENY", rows["clickjacking"].TextContent);
        Assert.Equal("Pass", rows["waf-rate-limiting"].QuerySelector("[data-testid=self-assessment-item]")!.GetAttribute("data-status"));
        Assert.Contains("適合", rows["waf-rate-limiting"].QuerySelector("[data-testid=self-assessment-status]")!.TextContent);
        Assert.Contains("1 分あたり: サインインはアドレスごと 20 回", rows["waf-rate-limiting"].TextContent);
        Assert.Contains("最小文字数 12", rows["password-policy"].TextContent);
        Assert.Equal("Info", rows["sql-injection"].QuerySelector("[data-testid=self-assessment-item]")!.GetAttribute("data-status"));
        Assert.Contains("設計による対策", rows["sql-injection"].TextContent);
        Assert.Contains("（Asia/Tokyo）", cut.Find("[data-testid=self-assessment-summary]").TextContent);
        Assert.Equal("/security/self-assessment/export.csv", cut.Find("[data-testid=self-assessment-csv]").GetAttribute("href"));
    }
}
