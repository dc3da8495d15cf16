using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Kuroco.Core.Media;
using Kuroco.Tests.Support;

namespace Kuroco.Tests.Integration.Media;

/// <summary>A usage provider for tests: what it reports is set by the test (content's real provider comes at merge).</summary>
public sealed class FakeMediaUsageProvider : IMediaUsageProvider
{
    public ConcurrentDictionary<Guid, IReadOnlyList<MediaUsage>> Usages { get; } = new();

    public Task<IReadOnlyList<MediaUsage>> FindUsagesAsync(Guid mediaId, CancellationToken cancellationToken = default) =>
        Task.FromResult(Usages.TryGetValue(mediaId, out var found) ? found : (IReadOnlyList<MediaUsage>)[]);
}

internal static class MediaHttp
{
    public static async Task<(HttpClient Client, string Token)> SignInWithTokenAsync(KurocoAppFactory factory, HttpClient client, string role, string? language = null)
    {
        var email = $"media-{Guid.NewGuid():N}@test.local";
        await factory.CreateStaffAsync(email, role);
        if (language is not null)
        {
            client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        }
        await KurocoAppFactory.SignInAsync(client, email, KurocoAppFactory.StaffPassword);
        var page = await client.GetStringAsync("/account/change-password");
        return (client, KurocoAppFactory.AntiforgeryToken(page));
    }

    public static Task<HttpResponseMessage> UploadAsync(HttpClient client, string? token, byte[] bytes, string fileName, string claimedType = "image/png", bool expectContinue = false)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(claimedType);
        form.Add(file, "file", fileName);
        var request = new HttpRequestMessage(HttpMethod.Post, "/media/upload") { Content = form };
        if (token is not null)
        {
            request.Headers.Add("RequestVerificationToken", token);
        }
        // Over a socket, a refusal before the body is read arrives instead of the body (see RequestLimitTests).
        request.Headers.ExpectContinue = expectContinue;
        return client.SendAsync(request);
    }

    /// <summary>Every file under the data folder's media folder, as paths relative to it.</summary>
    public static string[] StoredFiles(KurocoAppFactory factory)
    {
        var root = Path.Combine(factory.DataPath, "media");
        return Directory.Exists(root)
            ? [.. Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))]
            : [];
    }
}
