using Kuroco.Core.Security.SignIn;
using Kuroco.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kuroco.Infrastructure.SignIn;

public static class SignInServiceCollectionExtensions
{
    /// <summary>
    /// Staff sign-in: the one <see cref="ISignInService"/> with the staff account store, the stored password policy,
    /// Identity's cookies as the client session and the lock mails. (The per-account throttle, an <see cref="ISignInThrottle"/>,
    /// comes from the host: the admin app registers its rate limits.)
    /// </summary>
    public static IServiceCollection AddStaffSignIn(this IServiceCollection services)
    {
        services.TryAddScoped(sp => (StaffSignInManager)sp.GetRequiredService<SignInManager<StaffUser>>());
        services.AddScoped<ISignInAccounts, StaffSignInAccounts>();
        services.AddScoped<ISignInPolicySource, StaffSignInPolicy>();
        services.AddScoped<ISignInSession, StaffSignInSession>();
        services.AddScoped<ISignInNotifications, StaffLockoutNotifications>();
        services.AddScoped<ISignInService, SignInService>();
        return services;
    }
}
