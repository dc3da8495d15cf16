using System.Net;
using Kuroco.Core.Staff;
using Kuroco.Tests.Support;
using AdminSetup = Kuroco.Admin.DependencyInjection;

namespace Kuroco.Tests.Integration.Media;

/// <summary>
/// Over a real socket (Kestrel enforces request body limits): the upload endpoint accepts bodies past the
/// global 4 MiB limit up to its own (here 6 MiB), and every other endpoint keeps 4 MiB.
/// </summary>
public sealed class MediaUploadLimitTests(MediaUploadLimitTests.KestrelMediaFactory factory) : IClassFixture<MediaUploadLimitTests.KestrelMediaFactory>
{
    public const int Limit = 6 * 1024 * 1024;

    public sealed class KestrelMediaFactory : KurocoAppFactory
    {
        private Uri? baseAddress;

        public KestrelMediaFactory() => Settings["Kuroco:Media:MaxUploadBytes"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture);

        public Uri BaseAddress => baseAddress ??= StartKestrel();
    }

    private HttpClient Client() => new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
    {
        BaseAddress = factory.BaseAddress,
    };

    private static byte[] PngOf(int size)
    {
        var png = MediaSamples.Png(2, 2);
        return [.. png, .. new byte[size - png.Length]];
    }

    [Fact]
    public async Task A_5_MiB_image_passes_the_global_4_MiB_limit_on_the_upload_endpoint_only()
    {
        Assert.True(5 * 1024 * 1024 > AdminSetup.MaxRequestBodyBytes);
        using var client = Client();
        var (_, token) = await MediaHttp.SignInWithTokenAsync(factory, client, StaffRoles.ContentEditor);

        var uploaded = await MediaHttp.UploadAsync(client, token, PngOf(5 * 1024 * 1024), "five.png");
        Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);

        // The same size anywhere else is still refused.
        using var elsewhere = new HttpRequestMessage(HttpMethod.Post, "/account/password-check")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["password"] = new string('x', 1000), ["__RequestVerificationToken"] = token, ["pad"] = new string('y', 5 * 1024 * 1024) }),
        };
        elsewhere.Headers.ExpectContinue = true;
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await client.SendAsync(elsewhere)).StatusCode);
    }

    [Fact]
    public async Task A_body_over_the_media_limit_gets_413_and_nothing_is_stored()
    {
        using var client = Client();
        var (_, token) = await MediaHttp.SignInWithTokenAsync(factory, client, StaffRoles.ContentEditor);
        var before = MediaHttp.StoredFiles(factory);

        var response = await MediaHttp.UploadAsync(client, token, PngOf(Limit + (512 * 1024)), "seven.png", expectContinue: true);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(before, MediaHttp.StoredFiles(factory));
    }
}
