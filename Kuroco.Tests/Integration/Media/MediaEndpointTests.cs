using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kuroco.Admin.Media;
using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Media;
using Kuroco.Core.Staff;
using Kuroco.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Media;

/// <summary>The media endpoints through the real pipeline (TestServer, real SQLite and data folder), with a 64 KiB upload limit.</summary>
public sealed class MediaEndpointTests(MediaEndpointTests.MediaAppFactory factory) : IClassFixture<MediaEndpointTests.MediaAppFactory>
{
    public const int Limit = 64 * 1024;

    public sealed class MediaAppFactory : KurocoAppFactory
    {
        public FakeMediaUsageProvider UsageProvider { get; } = new();

        public MediaAppFactory()
        {
            Settings["Kuroco:Media:MaxUploadBytes"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture);
            TestServices = services => services.AddSingleton<IMediaUsageProvider>(UsageProvider);
        }
    }

    private Task<(HttpClient Client, string Token)> EditorAsync(string? language = null) =>
        MediaHttp.SignInWithTokenAsync(factory, factory.CreateBrowserLikeClient(), StaffRoles.ContentEditor, language);

    private static async Task<MediaItemDto> CreatedAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var dto = await response.Content.ReadFromJsonAsync<MediaItemDto>();
        Assert.NotNull(dto);
        return dto!;
    }

    [Fact]
    public async Task An_uploaded_png_gets_201_and_is_stored_under_a_generated_name_with_its_size_and_an_audit_entry()
    {
        var (client, token) = await EditorAsync();
        var bytes = MediaSamples.Png(40, 30);

        var response = await MediaHttp.UploadAsync(client, token, bytes, "../../etc/evil name.png", claimedType: "text/html");
        var dto = await CreatedAsync(response);

        Assert.Equal($"/media/{dto.Id:D}", response.Headers.Location?.OriginalString);
        Assert.Equal("image/png", dto.ContentType);
        Assert.Equal((40, 30), (dto.Width, dto.Height));
        Assert.Equal("evil name.png", dto.FileName);
        Assert.Equal(bytes.Length, dto.SizeBytes);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), dto.Sha256);

        var n = dto.Id.ToString("N");
        var expected = $"{n[..2]}/{n[2..4]}/{n}";
        var stored = MediaHttp.StoredFiles(factory);
        Assert.Contains(expected, stored);
        Assert.DoesNotContain(stored, f => f.Contains("evil", StringComparison.Ordinal) || f.StartsWith("tmp/", StringComparison.Ordinal));
        Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(factory.DataPath, "media", expected)));

        var entry = Assert.Single(await factory.AuditEntriesAsync(), e => e.Action == AuditActions.MediaUploaded && e.EntityId == dto.Id.ToString("D"));
        Assert.Equal(AuditOutcome.Success, entry.Outcome);
        Assert.StartsWith("media-", entry.ActorName, StringComparison.Ordinal);
        Assert.Equal($"Uploaded \"evil name.png\" (image/png, {bytes.Length} bytes, 40×30, SHA-256 {dto.Sha256}).", AuditText.English(entry));
        Assert.Equal($"「evil name.png」をアップロードしました（image/png、{bytes.Length} バイト、40×30、SHA-256 {dto.Sha256}）。", AuditText.Japanese(entry));
    }

    [Fact]
    public async Task A_file_over_the_limit_gets_413_and_nothing_is_stored()
    {
        var (client, token) = await EditorAsync();
        var before = MediaHttp.StoredFiles(factory);
        var bytes = MediaSamples.Png(2, 2).Concat(new byte[Limit]).ToArray();

        var response = await MediaHttp.UploadAsync(client, token, bytes, "big.png");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("64 KiB", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, MediaHttp.StoredFiles(factory));
        Assert.Contains(await factory.AuditEntriesAsync(), e => e.Action == AuditActions.MediaUploadRefused
            && AuditText.English(e) == $"Upload of \"big.png\" refused: larger than the limit of {Limit} bytes.");
    }

    [Fact]
    public async Task A_file_exactly_at_the_limit_is_accepted()
    {
        var (client, token) = await EditorAsync();
        var png = MediaSamples.Png(2, 2);
        var bytes = png.Concat(new byte[Limit - png.Length]).ToArray();
        await CreatedAsync(await MediaHttp.UploadAsync(client, token, bytes, "exact.png"));
    }

    [Fact]
    public async Task Html_named_png_gets_a_localized_400_problem_and_nothing_is_stored()
    {
        var (client, token) = await EditorAsync("ja-JP,ja;q=0.9,en;q=0.5");
        var before = MediaHttp.StoredFiles(factory);

        var response = await MediaHttp.UploadAsync(client, token, MediaSamples.Text("<html><script>alert(1)</script></html>"), "cat.png");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("title").GetString() == "ファイルは受け付けられませんでした。", problem.ToString());
        Assert.Contains("HTML", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("ファイル名にかかわらず", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, MediaHttp.StoredFiles(factory));
        Assert.Contains(await factory.AuditEntriesAsync(), e => e.Action == AuditActions.MediaUploadRefused && e.Outcome == AuditOutcome.Denied
            && AuditText.English(e) == $"Upload of \"cat.png\" refused: HTML or other markup not allowed ({MediaSamples.Text("<html><script>alert(1)</script></html>").Length} bytes).");
    }

    [Fact]
    public async Task Svg_is_refused_in_english_with_its_own_reason()
    {
        var (client, token) = await EditorAsync("en");
        var response = await MediaHttp.UploadAsync(client, token, MediaSamples.Text("<svg xmlns=\"http://www.w3.org/2000/svg\"/>"), "logo.svg", "image/svg+xml");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.StartsWith("SVG files are not allowed", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_upload_without_the_antiforgery_token_or_without_a_file_is_refused()
    {
        var (client, token) = await EditorAsync();
        var before = MediaHttp.StoredFiles(factory);

        var noToken = await MediaHttp.UploadAsync(client, null, MediaSamples.Png(2, 2), "a.png");
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
        var wrongToken = await MediaHttp.UploadAsync(client, "not-a-token", MediaSamples.Png(2, 2), "a.png");
        Assert.Equal(HttpStatusCode.BadRequest, wrongToken.StatusCode);

        using var notMultipart = new HttpRequestMessage(HttpMethod.Post, "/media/upload") { Content = new StringContent("hello") };
        notMultipart.Headers.Add("RequestVerificationToken", token);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.SendAsync(notMultipart)).StatusCode);
        Assert.Equal(before, MediaHttp.StoredFiles(factory));
    }

    [Fact]
    public async Task Anonymous_users_and_staff_outside_content_can_neither_upload_nor_read()
    {
        var (editor, editorToken) = await EditorAsync();
        var dto = await CreatedAsync(await MediaHttp.UploadAsync(editor, editorToken, MediaSamples.Png(3, 3), "private.png"));
        var before = MediaHttp.StoredFiles(factory);

        var anonymous = factory.CreateBrowserLikeClient();
        var read = await anonymous.GetAsync(dto.Url);
        Assert.Equal(HttpStatusCode.Redirect, read.StatusCode);
        Assert.StartsWith("/account/login", KurocoAppFactory.LocationPath(read), StringComparison.Ordinal);
        var upload = await MediaHttp.UploadAsync(anonymous, editorToken, MediaSamples.Png(3, 3), "anon.png");
        Assert.False(upload.IsSuccessStatusCode);

        var (support, supportToken) = await MediaHttp.SignInWithTokenAsync(factory, factory.CreateBrowserLikeClient(), StaffRoles.SupportStaff);
        Assert.Equal(HttpStatusCode.Forbidden, (await MediaHttp.UploadAsync(support, supportToken, MediaSamples.Png(3, 3), "support.png")).StatusCode);
        Assert.Equal(before, MediaHttp.StoredFiles(factory));
    }

    [Fact]
    public async Task Images_are_served_inline_with_their_type_nosniff_etag_and_cache_control_and_304_when_unchanged()
    {
        var (client, token) = await EditorAsync();
        var bytes = MediaSamples.Png(5, 5);
        var dto = await CreatedAsync(await MediaHttp.UploadAsync(client, token, bytes, "served.png"));

        var response = await client.GetAsync(dto.Url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("inline", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal($"\"{dto.Sha256}\"", response.Headers.ETag?.Tag);
        Assert.True(response.Headers.CacheControl?.Private);
        Assert.Equal(TimeSpan.FromMinutes(5), response.Headers.CacheControl?.MaxAge);
        Assert.Equal(bytes, await response.Content.ReadAsByteArrayAsync());

        using var conditional = new HttpRequestMessage(HttpMethod.Get, dto.Url);
        conditional.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        var notModified = await client.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/media/{Guid.NewGuid():D}")).StatusCode);
    }

    [Fact]
    public async Task Anything_but_an_image_is_served_as_an_attachment()
    {
        var (client, token) = await EditorAsync();
        var pdf = await CreatedAsync(await MediaHttp.UploadAsync(client, token, MediaSamples.Pdf(), "報告書.pdf", "application/octet-stream"));
        var text = await CreatedAsync(await MediaHttp.UploadAsync(client, token, MediaSamples.Text("a,b\n1,2\n"), "table.csv", "text/csv"));

        var pdfResponse = await client.GetAsync(pdf.Url);
        Assert.Equal("application/pdf", pdfResponse.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", pdfResponse.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("報告書.pdf", pdfResponse.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.Equal("nosniff", Assert.Single(pdfResponse.Headers.GetValues("X-Content-Type-Options")));

        var csvResponse = await client.GetAsync(text.Url);
        Assert.Equal("text/csv", csvResponse.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", csvResponse.Content.Headers.ContentDisposition?.DispositionType);
    }

    [Fact]
    public async Task Deleting_an_item_in_use_is_refused_without_confirmation_and_audited_with_its_usages_when_confirmed()
    {
        var (client, token) = await EditorAsync();
        var dto = await CreatedAsync(await MediaHttp.UploadAsync(client, token, MediaSamples.Png(4, 4), "used.png"));
        factory.UsageProvider.Usages[dto.Id] = [new MediaUsage("ContentItem", "news/42", "Spring campaign")];

        using var refused = new HttpRequestMessage(HttpMethod.Delete, dto.Url);
        refused.Headers.Add("RequestVerificationToken", token);
        var conflict = await client.SendAsync(refused);
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        var problem = await conflict.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
        var usage = Assert.Single(problem.GetProperty("usages").EnumerateArray().ToList());
        Assert.Equal("Spring campaign", usage.GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(dto.Url)).StatusCode);
        Assert.DoesNotContain(await factory.AuditEntriesAsync(), e => e.Action == AuditActions.MediaDeleted && e.EntityId == dto.Id.ToString("D"));

        using var noToken = new HttpRequestMessage(HttpMethod.Delete, dto.Url + "?confirm=true");
        Assert.Equal(HttpStatusCode.BadRequest, (await client.SendAsync(noToken)).StatusCode);

        using var confirmed = new HttpRequestMessage(HttpMethod.Delete, dto.Url + "?confirm=true");
        confirmed.Headers.Add("RequestVerificationToken", token);
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(confirmed)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(dto.Url)).StatusCode);
        var entry = Assert.Single(await factory.AuditEntriesAsync(), e => e.Action == AuditActions.MediaDeleted && e.EntityId == dto.Id.ToString("D"));
        Assert.Matches("^Deleted \"[^\"]+\" although in use by 1 \\(0 of them in the trash\\): ContentItem \\S+ \"Spring campaign\"\\.$", AuditText.English(entry));
    }

    [Fact]
    public async Task An_item_not_in_use_is_deleted_without_confirmation()
    {
        var (client, token) = await EditorAsync();
        var dto = await CreatedAsync(await MediaHttp.UploadAsync(client, token, MediaSamples.Png(4, 4), "unused.png"));
        using var request = new HttpRequestMessage(HttpMethod.Delete, dto.Url);
        request.Headers.Add("RequestVerificationToken", token);
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(request)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(dto.Url)).StatusCode);

        // Deleting it again: the library's NotFound, as a 404 problem.
        using var again = new HttpRequestMessage(HttpMethod.Delete, dto.Url);
        again.Headers.Add("RequestVerificationToken", token);
        var missing = await client.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        Assert.Equal(404, (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Editing_details_is_validated_and_audited_with_before_and_after()
    {
        var (client, token) = await EditorAsync();
        var dto = await CreatedAsync(await MediaHttp.UploadAsync(client, token, MediaSamples.Png(4, 4), "details.png"));

        var invalid = await factory.WithScopeAsync(sp => sp.GetRequiredService<IMediaLibrary>()
            .UpdateDetailsAsync(dto.Id, new MediaDetails(null, new string('x', MediaItem.AltTextMaxLength + 1), null, null)));
        Assert.Equal(ErrorKind.Validation, invalid.Error);
        Assert.Equal(nameof(MediaDetails.AltTextEn), Assert.Single(invalid.FieldErrors).Field);

        var saved = await factory.WithScopeAsync(sp => sp.GetRequiredService<IMediaLibrary>()
            .UpdateDetailsAsync(dto.Id, new MediaDetails(" 桜の写真 ", "Cherry blossoms", null, "Spring")));
        Assert.True(saved.Succeeded);
        var item = await factory.WithScopeAsync(sp => sp.GetRequiredService<IMediaLibrary>().FindAsync(dto.Id));
        Assert.Equal("桜の写真", item!.AltTextJa);
        Assert.Equal("Cherry blossoms", item.AltTextEn);

        var entries = (await factory.AuditEntriesAsync()).Where(e => e.Action == AuditActions.MediaUpdated && e.EntityId == dto.Id.ToString("D")).ToList();
        var entry = Assert.Single(entries);
        Assert.Equal($"Details of \"{dto.FileName}\" changed (Alternative text (Japanese), Alternative text (English), Title (English)).", AuditText.English(entry));
        Assert.Equal($"「{dto.FileName}」の詳細を変更しました（代替テキスト（日本語）、代替テキスト（英語）、タイトル（英語））。", AuditText.Japanese(entry));
        Assert.Contains("Cherry blossoms", entry.Changes ?? "", StringComparison.Ordinal);
    }
}

/// <summary>Search input is data: LIKE wildcards and SQL fragments match literally, markup in names is encoded on screen.</summary>
public sealed class MediaSearchTests(MediaEndpointTests.MediaAppFactory factory) : IClassFixture<MediaEndpointTests.MediaAppFactory>
{
    private Task<MediaPage> SearchAsync(string text, bool imagesOnly = false) =>
        factory.WithScopeAsync(sp => sp.GetRequiredService<IMediaLibrary>().SearchAsync(new MediaQuery(text, imagesOnly)));

    [Fact]
    public async Task Sql_and_wildcards_in_the_search_match_literally_and_change_nothing()
    {
        await factory.WithScopeAsync(sp => sp.GetRequiredService<IMediaLibrary>().UploadAsync(new MemoryStream(MediaSamples.Png(2, 2)), "100%_sure.png"));
        await factory.WithScopeAsync(sp => sp.GetRequiredService<IMediaLibrary>().UploadAsync(new MemoryStream(MediaSamples.Png(2, 2)), "plain.png"));
        var before = (await SearchAsync("")).TotalCount;

        Assert.Empty((await SearchAsync("' OR 1=1 --")).Items);
        Assert.Empty((await SearchAsync("\"; DROP TABLE MediaItems; --")).Items);
        Assert.Equal("100%_sure.png", Assert.Single((await SearchAsync("%_")).Items).OriginalFileName);
        Assert.Equal("100%_sure.png", Assert.Single((await SearchAsync("100%_SURE")).Items).OriginalFileName);
        Assert.Equal(before, (await SearchAsync("")).TotalCount);
    }

    [Fact]
    public async Task Only_images_are_listed_when_asked_and_bad_queries_are_refused()
    {
        await factory.WithScopeAsync(sp => sp.GetRequiredService<IMediaLibrary>().UploadAsync(new MemoryStream(MediaSamples.Pdf()), "only-images-check.pdf"));
        Assert.Empty((await SearchAsync("only-images-check", imagesOnly: true)).Items);
        Assert.Single((await SearchAsync("only-images-check")).Items);
        await Assert.ThrowsAsync<ArgumentException>(() => factory.WithScopeAsync(sp =>
            sp.GetRequiredService<IMediaLibrary>().SearchAsync(new MediaQuery(PageSize: 10_000))));
    }
}
