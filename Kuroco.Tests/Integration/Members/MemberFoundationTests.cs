using System.Net;
using System.Net.Http.Headers;
using Kuroco.Admin.Api;
using Kuroco.Admin.Members;
using Kuroco.Core.Audit;
using Kuroco.Core.Members;
using Kuroco.Core.Security;
using Kuroco.Infrastructure.Data;
using Kuroco.Tests.Integration.Api;
using Kuroco.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Members;

/// <summary>
/// What the member features build on: the member password policy apart from the staff one, personal data that an
/// erasure makes unreadable everywhere (the audit chain still verifies), and member access tokens through the pipeline.
/// </summary>
public sealed class MemberFoundationTests(MemberFoundationTests.Factory factory) : IClassFixture<MemberFoundationTests.Factory>
{
    public sealed class Factory : KurocoAppFactory
    {
        public Factory() => TestServices = services => services.AddSingleton<IStartupFilter, TestEndpoints>();
    }

    /// <summary>GET /api/v1/test-member/me: needs the site's API key and a member's access token; answers the member id.</summary>
    private sealed class TestEndpoints : IStartupFilter
    {
        // Cast to Delegate: a handler taking only HttpContext would otherwise bind as a RequestDelegate and drop its result.
        private static async Task<Ok<string>> MeAsync(HttpContext context) =>
            TypedResults.Ok((await MemberRequests.MemberIdAsync(context))?.ToString() ?? "none");

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseRouting();
            next(app);
            app.UseEndpoints(endpoints => endpoints.MapGet(ApiPaths.V1 + "/test-member/me", (Delegate)MeAsync)
                .RequireAuthorization(Kuroco.Core.Api.ApiKeyDefaults.Policy)
                .RequireMember());
        };
    }

    private Task<Member> AddMemberAsync(MemberStatus status = MemberStatus.Active) => factory.WithScopeAsync(async sp =>
    {
        var member = new Member
        {
            Id = Guid.NewGuid(),
            Email = $"m-{Guid.NewGuid():N}@example.jp",
            DisplayName = "山田 花子",
            Status = status,
            CreatedAtUtc = DateTime.UtcNow,
            UpdatedAtUtc = DateTime.UtcNow,
        };
        member.RefreshDerivedFields();
        var db = sp.GetRequiredService<KurocoDbContext>();
        db.Members.Add(member);
        await db.SaveChangesAsync();
        return member;
    });

    private Task SetAsync(Guid memberId, Action<Member> change) => factory.WithScopeAsync(async sp =>
    {
        var db = sp.GetRequiredService<KurocoDbContext>();
        change(await db.Members.SingleAsync(m => m.Id == memberId));
        await db.SaveChangesAsync();
    });

    [Fact]
    public async Task The_member_policy_is_stored_and_audited_apart_from_the_staff_policy()
    {
        var staffBefore = await factory.WithScopeAsync(sp => sp.GetRequiredService<IPasswordPolicyStore>().GetAsync());
        var memberPolicy = await factory.WithScopeAsync(sp => sp.GetRequiredService<IMemberPasswordPolicyStore>().GetAsync());
        Assert.Equal(5, memberPolicy.MaxFailedAttempts);
        memberPolicy.MinLength = 10;
        memberPolicy.MaxFailedAttempts = 7;

        var saved = await factory.WithScopeAsync(sp => sp.GetRequiredService<IMemberPasswordPolicyStore>().SaveAsync(memberPolicy));

        Assert.True(saved.Succeeded, saved.Message);
        var staffAfter = await factory.WithScopeAsync(sp => sp.GetRequiredService<IPasswordPolicyStore>().GetAsync());
        Assert.Equal(staffBefore.MinLength, staffAfter.MinLength);
        Assert.Equal(staffBefore.MaxFailedAttempts, staffAfter.MaxFailedAttempts);
        var reread = await factory.WithScopeAsync(sp => sp.GetRequiredService<IMemberPasswordPolicyStore>().GetAsync());
        Assert.Equal((10, 7), (reread.MinLength, reread.MaxFailedAttempts));
        var entry = (await factory.AuditEntriesAsync()).Last(e => e.Action == AuditActions.MemberPasswordPolicyChanged);
        Assert.Equal("MemberPasswordPolicy", entry.EntityType);

        memberPolicy.MinLength = 4;
        var refused = await factory.WithScopeAsync(sp => sp.GetRequiredService<IMemberPasswordPolicyStore>().SaveAsync(memberPolicy));
        Assert.Contains(refused.FieldErrors, f => f.Field == nameof(PasswordPolicy.MinLength));
    }

    [Fact]
    public async Task Personal_values_are_readable_until_the_member_is_erased_and_the_audit_chain_still_verifies()
    {
        var member = await AddMemberAsync();
        var stored = await factory.WithScopeAsync(async sp =>
        {
            var personal = sp.GetRequiredService<IMemberPersonalData>();
            var value = await personal.ProtectAsync(member.Id, "山田 花子");
            await sp.GetRequiredService<IAuditLog>().WriteAsync(new AuditRecord("members.test", "Member", member.Id.ToString(), "Profile changed.",
                AuditOutcome.Success, [new FieldChange("DisplayName", value, await personal.ProtectAsync(member.Id, "山田 華子"))]));
            return value!;
        });
        Assert.StartsWith(MemberPersonalDataText.Prefix, stored, StringComparison.Ordinal);
        Assert.DoesNotContain("花子", stored, StringComparison.Ordinal);
        Assert.Equal(member.Id, MemberPersonalDataText.MemberOf(stored));

        var personal = factory.Services.GetRequiredService<IMemberPersonalData>();
        Assert.Equal("山田 花子", await personal.RevealAsync(stored));
        Assert.Equal("plain", await personal.RevealAsync("plain"));
        // Tampering is not a readable value.
        Assert.Equal(MemberPersonalDataText.Erased, await personal.RevealAsync(stored[..^4] + "AAAA"));

        await personal.ShredAsync(member.Id);

        Assert.Equal(MemberPersonalDataText.Erased, await personal.RevealAsync(stored));
        var entry = (await factory.AuditEntriesAsync()).Last(e => e.Action == "members.test");
        Assert.DoesNotContain("花子", entry.Changes ?? "", StringComparison.Ordinal);
        var verification = await factory.WithScopeAsync(sp => sp.GetRequiredService<IAuditReader>().VerifyChainAsync());
        Assert.True(verification.IsIntact, verification.ToString());
    }

    [Fact]
    public async Task A_member_token_with_the_site_key_reaches_a_member_endpoint_until_the_member_is_stopped()
    {
        var (_, apiKey) = await factory.CreateKeyAsync("Member site");
        var member = await AddMemberAsync();
        var token = factory.Services.GetRequiredService<IMemberAccessTokens>().Issue(member);
        Assert.Equal(15 * 60, token.ExpiresInSeconds);
        using var client = factory.CreateClient();

        async Task<HttpStatusCode> CallAsync(string? bearer, string? key = null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, ApiPaths.V1 + "/test-member/me");
            if ((key ?? apiKey) is { Length: > 0 } k)
            {
                request.Headers.Add("X-API-Key", k);
            }
            if (bearer is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
            }
            using var response = await client.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                Assert.Contains(member.Id.ToString(), await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await CallAsync(token.Token));
        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync(null));
        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync(token.Token, key: ""));
        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync(token.Token[..^3] + "abc"));

        // Signed out everywhere (the stamp changed): the token no longer works.
        await SetAsync(member.Id, m => m.SecurityStamp = Guid.NewGuid().ToString("N"));
        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync(token.Token));

        // A new token works until the member is suspended.
        var fresh = factory.Services.GetRequiredService<IMemberAccessTokens>().Issue(await factory.WithScopeAsync(sp =>
            sp.GetRequiredService<KurocoDbContext>().Members.AsNoTracking().SingleAsync(m => m.Id == member.Id)));
        Assert.Equal(HttpStatusCode.OK, await CallAsync(fresh.Token));
        await SetAsync(member.Id, m => m.Status = MemberStatus.Suspended);
        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync(fresh.Token));
    }

    [Fact]
    public void The_signing_key_is_generated_once_into_the_data_folder_for_the_owner_only()
    {
        _ = factory.Services.GetRequiredService<IMemberAccessTokens>();
        var path = Path.Combine(factory.DataPath, "keys", MemberSigningKey.FileName);
        Assert.True(File.Exists(path));
        Assert.True(Convert.FromBase64String(File.ReadAllText(path)).Length >= 32);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }
}
