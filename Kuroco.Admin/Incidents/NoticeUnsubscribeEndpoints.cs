using System.Text.Encodings.Web;
using Kuroco.Core.Incidents;

namespace Kuroco.Admin.Incidents;

/// <summary>
/// The unsubscribe link of incident notices (anonymous: the customer contact has no account). <c>GET
/// /notices/unsubscribe?token=…</c> shows a confirmation page (mail scanners follow GET links, so GET changes nothing);
/// its form POSTs the token, which unsubscribes once. The page is in Japanese and English (the contact's language is not
/// known before the token is redeemed).
/// </summary>
public static class NoticeUnsubscribeEndpoints
{
    public const string Path = "/notices/unsubscribe";

    public static IEndpointRouteBuilder MapNoticeUnsubscribe(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet(Path, ShowConfirmation).AllowAnonymous().WithName("ConfirmNoticeUnsubscribe").ExcludeFromDescription();
        // No antiforgery token: the page is anonymous and the single-use token in the form is itself the proof of the mail.
        endpoints.MapPost(Path, UnsubscribeAsync).AllowAnonymous().DisableAntiforgery().WithName("NoticeUnsubscribe").ExcludeFromDescription();
        return endpoints;
    }

    internal static IResult ShowConfirmation(string? token)
    {
        var encoded = HtmlEncoder.Default.Encode(token ?? "");
        return Page(
            "<h1>配信停止 / Unsubscribe</h1>"
            + "<p>障害のお知らせの配信を停止しますか？</p><p>Stop receiving incident notices?</p>"
            + $"<form method=\"post\" action=\"{Path}\"><input type=\"hidden\" name=\"token\" value=\"{encoded}\">"
            + "<button type=\"submit\" data-testid=\"unsubscribe\">配信を停止する / Unsubscribe</button></form>");
    }

    internal static async Task<IResult> UnsubscribeAsync(HttpRequest request, INoticeContactService contacts)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(contacts);
        var token = request.HasFormContentType ? (string?)(await request.ReadFormAsync(request.HttpContext.RequestAborted))["token"] : null;
        var result = await contacts.UnsubscribeAsync(token ?? "", request.HttpContext.RequestAborted);
        return result.Succeeded
            ? Page("<h1>配信を停止しました / Unsubscribed</h1><p>今後、障害のお知らせはお送りしません。</p><p>You will no longer receive incident notices.</p>")
            : Page("<h1>リンクが無効です / Invalid link</h1><p>この配信停止リンクは無効か、既に使用されています。</p><p>This unsubscribe link is invalid or was already used.</p>", StatusCodes.Status404NotFound);
    }

    private static IResult Page(string body, int status = StatusCodes.Status200OK) =>
        TypedResults.Content(
            "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">"
            + "<title>Kuroco</title></head><body style=\"font-family:sans-serif;max-width:40em;margin:3em auto\">" + body + "</body></html>",
            "text/html; charset=utf-8", System.Text.Encoding.UTF8, status);
}
