using System.Net;
using System.Net.Http.Json;
using Kuroco.Admin.Media;
using Kuroco.Core.Media;
using Kuroco.Core.Staff;
using Kuroco.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using SkiaSharp;

namespace Kuroco.Tests.Integration.Media;

/// <summary><c>GET /media/{id}/thumbnail</c> through the real pipeline: real files in the test's data folder, decoded by Skia.</summary>
public sealed class MediaThumbnailTests(MediaEndpointTests.MediaAppFactory factory) : IClassFixture<MediaEndpointTests.MediaAppFactory>
{
    private async Task<(HttpClient Client, MediaItemDto Item)> UploadAsync(byte[] bytes, string name, string claimedType = "image/png")
    {
        var (client, token) = await MediaHttp.SignInWithTokenAsync(factory, factory.CreateBrowserLikeClient(), StaffRoles.ContentEditor);
        var response = await MediaHttp.UploadAsync(client, token, bytes, name, claimedType);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (client, (await response.Content.ReadFromJsonAsync<MediaItemDto>())!);
    }

    private static string ThumbnailFile(Guid id)
    {
        var n = id.ToString("N");
        return $"thumbs/{n[..2]}/{n[2..4]}/{n}-320.webp";
    }

    [Fact]
    public async Task An_image_gets_a_320_pixel_webp_kept_on_disk_with_the_same_headers_as_the_file_and_304_when_unchanged()
    {
        var (client, item) = await UploadAsync(MediaSamples.Png(800, 400, red: 0xE0, green: 0x40, blue: 0x20), "wide.png");

        var response = await client.GetAsync(MediaPaths.ThumbnailUrlFor(item.Id));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/webp", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("inline", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.True(response.Headers.CacheControl?.Private);
        Assert.Equal(TimeSpan.FromMinutes(5), response.Headers.CacheControl?.MaxAge);
        Assert.Equal($"\"{item.Sha256}-t320\"", response.Headers.ETag?.Tag);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        using (var bitmap = SKBitmap.Decode(bytes))
        {
            Assert.Equal((320, 160), (bitmap.Width, bitmap.Height));
            var centre = bitmap.GetPixel(160, 80);
            Assert.InRange(centre.Red, 0xD0, 0xF0); // the colour survived the scaling (lossy WebP, so roughly)
            Assert.InRange(centre.Blue, 0x10, 0x30);
        }
        Assert.Contains(ThumbnailFile(item.Id), MediaHttp.StoredFiles(factory));
        Assert.DoesNotContain(MediaHttp.StoredFiles(factory), f => f.StartsWith("tmp/", StringComparison.Ordinal) && f.EndsWith(".thumb", StringComparison.Ordinal));

        using var conditional = new HttpRequestMessage(HttpMethod.Get, MediaPaths.ThumbnailUrlFor(item.Id));
        conditional.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(conditional)).StatusCode);
        // The kept file is served the next time (same bytes, not made again).
        var before = File.GetLastWriteTimeUtc(Path.Combine(factory.DataPath, "media", ThumbnailFile(item.Id)));
        Assert.Equal(bytes, await client.GetByteArrayAsync(MediaPaths.ThumbnailUrlFor(item.Id)));
        Assert.Equal(before, File.GetLastWriteTimeUtc(Path.Combine(factory.DataPath, "media", ThumbnailFile(item.Id))));
    }

    [Fact]
    public async Task A_small_image_is_never_enlarged_and_a_portrait_keeps_its_aspect()
    {
        var (client, small) = await UploadAsync(MediaSamples.Png(40, 30), "small.png");
        var (_, tall) = await UploadAsync(MediaSamples.Png(300, 900), "tall.png");

        using var smallThumb = SKBitmap.Decode(await client.GetByteArrayAsync(MediaPaths.ThumbnailUrlFor(small.Id)));
        using var tallThumb = SKBitmap.Decode(await client.GetByteArrayAsync(MediaPaths.ThumbnailUrlFor(tall.Id)));

        Assert.Equal((40, 30), (smallThumb.Width, smallThumb.Height));
        Assert.Equal((107, 320), (tallThumb.Width, tallThumb.Height));
    }

    [Fact]
    public async Task The_thumbnail_needs_a_signed_in_user_like_the_file_and_an_unknown_or_deleted_item_is_404()
    {
        var (client, item) = await UploadAsync(MediaSamples.Png(10, 10), "private.png");

        var anonymous = await factory.CreateBrowserLikeClient().GetAsync(MediaPaths.ThumbnailUrlFor(item.Id));
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.StartsWith("/account/login", KurocoAppFactory.LocationPath(anonymous), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(MediaPaths.ThumbnailUrlFor(Guid.NewGuid()))).StatusCode);

        await factory.WithScopeAsync(sp => sp.GetRequiredService<IMediaLibrary>().DeleteAsync(item.Id, confirmedDespiteUsages: true));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(MediaPaths.ThumbnailUrlFor(item.Id))).StatusCode);
    }

    [Fact]
    public async Task A_file_that_is_not_an_image_gets_the_file_itself_as_a_download()
    {
        var (client, pdf) = await UploadAsync(MediaSamples.Pdf(), "report.pdf", "application/pdf");

        var response = await client.GetAsync(MediaPaths.ThumbnailUrlFor(pdf.Id));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal(MediaSamples.Pdf(), await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_decode_bomb_and_an_undecodable_image_get_the_original_and_no_thumbnail_is_kept()
    {
        // 20,000 × 20,000 = 400 million pixels announced by a file of a few dozen bytes.
        var bombBytes = MediaSamples.PngHeaderOnly(20_000, 20_000);
        var (client, bomb) = await UploadAsync(bombBytes, "bomb.png");
        var brokenBytes = MediaSamples.PngHeaderOnly(64, 64);
        brokenBytes[29] ^= 0xFF; // the header's CRC no longer matches: no decoder accepts it
        var (_, broken) = await UploadAsync(brokenBytes, "broken.png");

        var bombResponse = await client.GetAsync(MediaPaths.ThumbnailUrlFor(bomb.Id));
        var brokenResponse = await client.GetAsync(MediaPaths.ThumbnailUrlFor(broken.Id));

        Assert.Equal("image/png", bombResponse.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"\"{bomb.Sha256}\"", bombResponse.Headers.ETag?.Tag);
        Assert.Equal(bombBytes, await bombResponse.Content.ReadAsByteArrayAsync());
        Assert.Equal("image/png", brokenResponse.Content.Headers.ContentType?.MediaType);
        Assert.Equal(brokenBytes, await brokenResponse.Content.ReadAsByteArrayAsync());
        var stored = MediaHttp.StoredFiles(factory);
        Assert.DoesNotContain(ThumbnailFile(bomb.Id), stored);
        Assert.DoesNotContain(ThumbnailFile(broken.Id), stored);
        Assert.DoesNotContain(stored, f => f.EndsWith(".thumb", StringComparison.Ordinal));
    }
}
