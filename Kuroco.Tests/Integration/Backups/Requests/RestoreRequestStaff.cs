using Kuroco.Admin.Audit;
using Kuroco.Core.Audit;
using Kuroco.Core.Staff;
using Kuroco.Tests.Integration.Audit;
using Kuroco.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Backups.Requests;

/// <summary>
/// Restore requests are changed only by SupportStaff and Administrators, checked by the service through the current user:
/// these tests call the service as a staff member of their choice (<see cref="ActingAuditContext"/>), as a console circuit
/// would.
/// </summary>
internal static class RestoreRequestStaff
{
    /// <summary>The app's audit context, except inside <see cref="ActingAuditContext.As"/>.</summary>
    public static void UseActingContext(IServiceCollection services)
    {
        services.AddScoped<HttpAuditContext>();
        services.AddScoped<IAuditContext>(sp => new ActingAuditContext(sp.GetRequiredService<HttpAuditContext>()));
    }

    /// <summary>A new staff member with <paramref name="role"/>, as the services see them.</summary>
    public static async Task<AuditActor> CreateAsync(KurocoAppFactory app, string role)
    {
        var email = $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@test.local";
        return new AuditActor(await app.CreateStaffAsync(email, role), email, [role]);
    }

    public static async Task<T> AsAsync<T>(KurocoAppFactory app, AuditActor actor, Func<IServiceProvider, Task<T>> call)
    {
        using var acting = ActingAuditContext.As(actor);
        return await app.WithScopeAsync(call);
    }
}

/// <summary>The real app whose services can be called as a chosen staff member.</summary>
public sealed class RestoreRequestAppFactory : KurocoAppFactory
{
    private AuditActor? support;

    public RestoreRequestAppFactory() => TestServices = RestoreRequestStaff.UseActingContext;

    /// <summary>One SupportStaff member for the workflow.</summary>
    public async Task<AuditActor> SupportAsync() => support ??= await RestoreRequestStaff.CreateAsync(this, StaffRoles.SupportStaff);
}
