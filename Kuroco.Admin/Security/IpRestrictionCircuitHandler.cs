using System.Net;
using Kuroco.Admin.Audit;
using Kuroco.Core.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.Options;

namespace Kuroco.Admin.Security;

/// <summary>
/// A Blazor circuit is one long-lived connection: a console allowlist saved after it opened would not
/// reach it through the middleware. Every inbound activity of the circuit is checked against the list
/// in force (a cached read); when the circuit's address is no longer allowed, the activity is dropped
/// and the browser told to reload, and the reload meets the middleware's 403.
/// </summary>
internal sealed class IpRestrictionCircuitHandler(
    CircuitOrigin origin,
    IIpAllowlistProvider allowlists,
    NavigationManager navigation,
    IOptions<NetworkSecurityOptions> options) : CircuitHandler
{
    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) => async context =>
    {
        if (!options.Value.DisableIpRestrictions
            && IPAddress.TryParse(origin.Origin.IpAddress, out var address)
            && !(await allowlists.GetAsync()).Console.Allows(address))
        {
            navigation.NavigateTo(navigation.Uri, forceLoad: true);
            return;
        }
        await next(context);
    };
}
