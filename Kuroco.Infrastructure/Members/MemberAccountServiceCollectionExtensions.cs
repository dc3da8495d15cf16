using Kuroco.Core.Audit;
using Kuroco.Core.Members;
using Kuroco.Core.Security.SignIn;
using Kuroco.Infrastructure.SignIn;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Infrastructure.Members;

public static class MemberAccountServiceCollectionExtensions
{
    /// <summary>
    /// Members' own accounts: registration, verification, sessions (refresh tokens), profile, passwords, the account mails
    /// and the staff-started account actions; and member sign-in — a second <see cref="SignInService"/> (keyed
    /// <see cref="MemberSignIn.ServiceKey"/>) built from the member seams. The member seams are registered as themselves,
    /// never as the seam interfaces, so the staff sign-in (<c>AddStaffSignIn</c>) is untouched. (The per-account
    /// throttle, an <see cref="ISignInThrottle"/>, comes from the host, as for staff.)
    /// </summary>
    public static IServiceCollection AddMemberAccounts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MemberAccountOptions>().Bind(configuration.GetSection(MemberAccountOptions.SectionName))
            .Validate(o => MemberAccountOptions.Problem(o) is null, $"{MemberAccountOptions.SectionName}:LinkBaseUrl must be an absolute http:// or https:// URL without query or fragment (e.g. https://www.example.com), and {MemberAccountOptions.SectionName}:SiteName one line of at most {MemberAccountOptions.SiteNameMaxLength} characters.")
            .ValidateOnStart();

        services.AddScoped<MemberAccountSettings>();
        services.AddScoped<MemberAccountTokens>();
        services.AddScoped<MemberAccountPasswords>();
        services.AddScoped<MemberAccountMailer>();
        services.AddSingleton<MemberMailPacing>();
        services.AddScoped<IMemberRegistration, MemberRegistrationService>();
        services.AddScoped<IMemberSessions, MemberSessionService>();
        services.AddScoped<IMemberSelfService, MemberSelfService>();
        services.AddScoped<MemberPasswordResetService>();
        services.AddScoped<IMemberPasswordReset>(sp => sp.GetRequiredService<MemberPasswordResetService>());
        services.AddSingleton<MemberPasswordResetQueue>();
        services.AddHostedService<MemberPasswordResetWorker>();
        services.AddScoped<IMemberAccountActions, MemberAccountActions>();

        services.AddScoped<MemberSignInAccounts>();
        services.AddScoped<MemberSignInPolicy>();
        services.AddScoped<MemberSignInTokens>();
        services.AddScoped<MemberSignInSession>();
        services.AddScoped<MemberLockoutNotifications>();
        services.AddKeyedScoped<ISignInService>(MemberSignIn.ServiceKey, (sp, _) => new SignInService(
            sp.GetRequiredService<MemberSignInAccounts>(),
            sp.GetRequiredService<MemberSignInPolicy>(),
            sp.GetRequiredService<MemberSignInSession>(),
            sp.GetRequiredService<MemberLockoutNotifications>(),
            new MemberSignInThrottle(sp.GetRequiredService<ISignInThrottle>()),
            sp.GetRequiredService<IAuditLog>(),
            sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
