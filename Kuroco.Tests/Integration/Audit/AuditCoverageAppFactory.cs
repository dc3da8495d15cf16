using Kuroco.Admin.Audit;
using Kuroco.Core.Audit;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Identity;
using Kuroco.Core.Webhooks;
using Kuroco.Infrastructure.Webhooks;
using Kuroco.Tests.Integration.Members;
using Kuroco.Tests.Integration.Webhooks;
using Kuroco.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Audit;

/// <summary>
/// The real app for the audit coverage test: SQLite, the real job server, the member API's settings (a frozen clock the
/// scenarios move, mail links, generous rate limits, a test peer address), an audit log that reports what each call
/// appended (<see cref="AuditCapture"/>), and an audit context a service call can act through as a chosen staff member.
/// </summary>
public sealed class AuditCoverageAppFactory : MemberAccountApiFactory
{
    /// <summary>The webhook receiver's host: resolved to a public address by a fake DNS, answered by a fake receiver.</summary>
    public const string WebhookHost = "hooks.coverage.example";

    private string? adminId;

    public AuditCoverageAppFactory()
    {
        var inner = TestServices;
        var resolver = new SwitchableResolver();
        resolver.Set(WebhookHost, "93.184.216.34");
        TestServices = services =>
        {
            inner?.Invoke(services);
            services.AddSingleton<IWebhookHostResolver>(resolver);
            services.AddHttpClient(WebhookHttp.ClientName).ConfigurePrimaryHttpMessageHandler(() => Receiver);
            RecordingAuditLog.Register(services);
            services.AddScoped<HttpAuditContext>();
            services.AddScoped<IAuditContext>(sp => new ActingAuditContext(sp.GetRequiredService<HttpAuditContext>()));
        };
    }

    public FakeWebhookReceiver Receiver { get; } = new();

    /// <summary>The bootstrap Administrator, as the actor of service calls (the console's circuit would supply it).</summary>
    public async Task<AuditActor> AdministratorAsync()
    {
        adminId ??= await WithScopeAsync(async sp => (await sp.GetRequiredService<UserManager<StaffUser>>().FindByEmailAsync(AdminEmail))!.Id);
        return new AuditActor(adminId, AdminEmail, [StaffRoles.Administrator]);
    }
}

/// <summary>
/// The app's audit context, except inside <see cref="As"/>: there the services see the given actor, as they would see the
/// signed-in user of a console circuit. HTTP requests keep the app's own context.
/// </summary>
public sealed class ActingAuditContext(IAuditContext app) : IAuditContext
{
    private static readonly AsyncLocal<AuditActor?> Acting = new();

    public static IDisposable As(AuditActor actor)
    {
        var previous = Acting.Value;
        Acting.Value = actor;
        return new Restore(previous);
    }

    public ValueTask<AuditActor> GetActorAsync() => Acting.Value is { } actor ? ValueTask.FromResult(actor) : app.GetActorAsync();

    public AuditOrigin GetOrigin() => app.GetOrigin();

    private sealed class Restore(AuditActor? previous) : IDisposable
    {
        public void Dispose() => Acting.Value = previous;
    }
}
