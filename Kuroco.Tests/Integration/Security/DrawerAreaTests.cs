using System.Text.RegularExpressions;
using Kuroco.Core.Staff;
using Kuroco.Tests.Support;

namespace Kuroco.Tests.Integration.Security;

/// <summary>The drawer shows each role the areas its policies allow, and the pages of those areas open (and no others).</summary>
public sealed partial class DrawerAreaTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    /// <summary>Each area's first link in the drawer, which is also a page guarded by that area's policy.</summary>
    private static readonly Dictionary<string, string> FirstLinkByPolicy = new(StringComparer.Ordinal)
    {
        [AreaPolicies.Content] = "content/types",
        [AreaPolicies.Members] = "members",
        [AreaPolicies.Security] = "security",
        [AreaPolicies.Audit] = "audit",
        [AreaPolicies.Backups] = "backups",
        [AreaPolicies.Monitoring] = "monitoring",
        [AreaPolicies.Jobs] = "jobs",
        [AreaPolicies.Settings] = "settings/staff",
    };

    [Theory]
    [InlineData(StaffRoles.Administrator)]
    [InlineData(StaffRoles.ContentEditor)]
    [InlineData(StaffRoles.SecurityOfficer)]
    [InlineData(StaffRoles.SupportStaff)]
    [InlineData(StaffRoles.Operator)]
    public async Task The_drawer_shows_exactly_the_areas_the_policies_allow(string role)
    {
        Assert.Equal(AreaPolicies.RolesByPolicy.Keys.Order(StringComparer.Ordinal), FirstLinkByPolicy.Keys.Order(StringComparer.Ordinal));
        var email = $"drawer-{role.ToLowerInvariant()}-{Guid.NewGuid():N}@test.local";
        await factory.CreateStaffAsync(email, role);
        var client = factory.CreateBrowserLikeClient();
        await KurocoAppFactory.SignInAsync(client, email, KurocoAppFactory.StaffPassword);

        var html = await client.GetStringAsync("/");
        var drawer = html[html.IndexOf("data-testid=\"nav-menu\"", StringComparison.Ordinal)..];
        var links = Href().Matches(drawer).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

        foreach (var (policy, link) in FirstLinkByPolicy)
        {
            var allowed = AreaPolicies.Allows(policy, [role]);
            Assert.True(allowed == links.Contains(link), $"{role}: {policy} is {(allowed ? "allowed" : "not allowed")} but the drawer {(links.Contains(link) ? "shows" : "hides")} {link}.");
        }
        if (role == StaffRoles.SupportStaff)
        {
            // The decision behind the README's table: support staff take members' restore requests.
            Assert.Contains("members", links);
            Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/members")).StatusCode);
            Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await client.GetAsync("/content/types")).StatusCode);
        }
    }

    [GeneratedRegex("<a[^>]*href=\"([^\"]*)\"")]
    private static partial Regex Href();
}
