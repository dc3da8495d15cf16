using Kuroco.Core.Members;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kuroco.Infrastructure.Members;

public static class MemberConsoleServiceCollectionExtensions
{
    /// <summary>The console's member services: the list, edits, bulk actions, groups and the two settings stores.</summary>
    public static IServiceCollection AddMemberConsole(this IServiceCollection services)
    {
        services.AddScoped<MemberAuditWriter>();
        services.AddScoped<IMemberDirectory, MemberDirectory>();
        services.AddScoped<IMemberAdministration, MemberAdministration>();
        services.AddScoped<IMemberBulkActions, MemberBulkActions>();
        services.AddScoped<IMemberGroupService, MemberGroupService>();
        services.AddScoped<IMemberRegistrationSettingsStore, MemberRegistrationSettingsStore>();
        services.AddScoped<IMemberProfileSchemaStore, MemberProfileSchemaStore>();
        // Until feat/members-api registers the real one (TryAdd: whichever is registered first or last, theirs is used when present).
        services.TryAddScoped<IMemberAccountActions, MemberAccountActionsPending>();
        return services;
    }
}
