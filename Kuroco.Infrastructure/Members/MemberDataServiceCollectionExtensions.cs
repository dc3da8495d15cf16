using Kuroco.Core.Members;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Infrastructure.Members;

public static class MemberDataServiceCollectionExtensions
{
    /// <summary>Member import (service, jobs, files), export and personal-data requests; settings under Kuroco:Members.</summary>
    public static IServiceCollection AddMemberData(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MemberDataOptions>().Bind(configuration.GetSection(MemberDataOptions.SectionName))
            .Validate(o => o.IsValid(), "Kuroco:Members: ImportMaxBytes must be between 1 KiB and 2 GiB, ImportRetentionDays 1–365 and ImportStallMinutes 1–1440.")
            .ValidateOnStart();
        services.AddSingleton<MemberImportFiles>();
        services.AddScoped<IMemberImportService, MemberImportService>();
        services.AddScoped<MemberImportJob>();
        services.AddScoped<MemberImportInvitationJob>();
        services.AddScoped<MemberImportCleanupJob>();
        services.AddScoped<IMemberExportService, MemberExportService>();
        services.AddScoped<IMemberDataRequests, MemberDataRequestService>();
        return services;
    }
}
