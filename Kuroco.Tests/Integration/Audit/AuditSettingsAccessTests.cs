using System.Net;
using Kuroco.Core.Staff;
using Kuroco.Tests.Support;

namespace Kuroco.Tests.Integration.Audit;

/// <summary>/audit/settings through the real pipeline: for SecurityOfficers and Administrators only.</summary>
public sealed class AuditSettingsAccessTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    [Theory]
    [InlineData(StaffRoles.SecurityOfficer, HttpStatusCode.OK)]
    [InlineData(StaffRoles.Administrator, HttpStatusCode.OK)]
    [InlineData(StaffRoles.ContentEditor, HttpStatusCode.Forbidden)]
    [InlineData(StaffRoles.Operator, HttpStatusCode.Forbidden)]
    [InlineData(StaffRoles.SupportStaff, HttpStatusCode.Forbidden)]
    public async Task The_page_is_for_the_audit_area(string role, HttpStatusCode expected)
    {
        var email = $"audit-settings-{Guid.NewGuid():N}@test.local";
        await factory.CreateStaffAsync(email, role);
        using var client = factory.CreateBrowserLikeClient();
        await KurocoAppFactory.SignInAsync(client, email, KurocoAppFactory.StaffPassword);

        var response = await client.GetAsync("/audit/settings");

        Assert.Equal(expected, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        if (expected == HttpStatusCode.OK)
        {
            Assert.Contains("data-testid=\"audit-retention-months\"", body);
        }
        else
        {
            Assert.DoesNotContain("audit-retention-months", body);
        }
    }

    [Fact]
    public async Task Anonymous_is_sent_to_sign_in()
    {
        var response = await factory.CreateBrowserLikeClient().GetAsync("/audit/settings");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login?", KurocoAppFactory.LocationPath(response));
    }
}
