using System.Globalization;
using System.Text;
using Kuroco.Core.Media;
using Kuroco.Tests.Support;

namespace Kuroco.Tests.Unit.Media;

public sealed class MediaDetectorTests
{
    private static MediaDetection Detect(byte[] bytes, string? name = null) => MediaDetector.Detect(new MemoryStream(bytes), name);

    [Fact]
    public void A_png_is_detected_with_its_size_from_IHDR()
    {
        var result = Detect(MediaSamples.Png(640, 480));
        Assert.True(result.IsAllowed);
        Assert.Equal(MediaFormats.Png, result.Format);
        Assert.Equal((640, 480), (result.Width, result.Height));
    }

    [Fact]
    public void A_jpeg_is_detected_with_its_size_from_the_frame_header_after_other_segments()
    {
        var result = Detect(MediaSamples.Jpeg(1920, 1080, app1Padding: 30_000));
        Assert.Equal(MediaFormats.Jpeg, result.Format);
        Assert.Equal((1920, 1080), (result.Width, result.Height));
    }

    [Fact]
    public void A_gif_is_detected_with_its_logical_screen_size()
    {
        var result = Detect(MediaSamples.Gif(320, 200));
        Assert.Equal(MediaFormats.Gif, result.Format);
        Assert.Equal((320, 200), (result.Width, result.Height));
    }

    [Theory]
    [InlineData("lossy", 800, 600)]
    [InlineData("lossless", 1000, 16383)]
    [InlineData("extended", 20000, 3)]
    public void A_webp_of_each_kind_is_detected_with_its_size(string kind, int width, int height)
    {
        var bytes = kind switch
        {
            "lossy" => MediaSamples.WebPLossy(width, height),
            "lossless" => MediaSamples.WebPLossless(width, height),
            _ => MediaSamples.WebPExtended(width, height),
        };
        var result = Detect(bytes);
        Assert.Equal(MediaFormats.WebP, result.Format);
        Assert.Equal((width, height), (result.Width, result.Height));
    }

    [Fact]
    public void A_pdf_is_detected_without_a_size()
    {
        var result = Detect(MediaSamples.Pdf(), "report.txt");
        Assert.Equal(MediaFormats.Pdf, result.Format);
        Assert.Null(result.Width);
    }

    [Fact]
    public void Utf8_text_is_plain_text_and_csv_only_by_name_once_it_is_safe_text()
    {
        Assert.Equal(MediaFormats.PlainText, Detect(MediaSamples.Text("こんにちは\r\nhello\tworld\n"), "notes.txt").Format);
        Assert.Equal(MediaFormats.Csv, Detect(MediaSamples.Text("name,price\n\"りんご\",100\n"), "prices.CSV").Format);
        Assert.Equal(MediaFormats.PlainText, Detect([0xEF, 0xBB, 0xBF, .. MediaSamples.Text("with a byte order mark")]).Format);
    }

    [Fact]
    public void Text_that_is_not_utf8_or_holds_nul_is_refused()
    {
        var shiftJis = new byte[] { 0x82, 0xA0, 0x82, 0xA2, 0x0A }; // "あい" in Shift_JIS
        Assert.Equal(MediaRejection.TextNotUtf8, Detect(shiftJis, "sjis.txt").Rejection);
        Assert.Equal(MediaRejection.TypeNotAllowed, Detect(MediaSamples.Text("a\0b"), "nul.txt").Rejection);
    }

    [Theory]
    [InlineData("<html><body><script>alert(1)</script></body></html>")]
    [InlineData("  \n<!DOCTYPE html><p>hi</p>")]
    [InlineData("GIF? no: <script>alert(document.cookie)</script>")]
    [InlineData("hello <img src=x onerror=alert(1)>")]
    public void Html_or_script_named_png_is_refused(string content)
    {
        var result = Detect(MediaSamples.Text(content), "photo.png");
        Assert.False(result.IsAllowed);
        Assert.Equal(MediaRejection.MarkupNotAllowed, result.Rejection);
    }

    [Theory]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>")]
    [InlineData("<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>")]
    public void Svg_is_refused_even_with_an_image_name(string content)
    {
        Assert.Equal(MediaRejection.SvgNotAllowed, Detect(MediaSamples.Text(content), "logo.png").Rejection);
    }

    [Fact]
    public void Unknown_binary_types_are_refused_whatever_the_name()
    {
        Assert.Equal(MediaRejection.TypeNotAllowed, Detect([(byte)'M', (byte)'Z', 0x90, 0x00, 0x03, 0x00], "setup.png").Rejection);
        Assert.Equal(MediaRejection.TypeNotAllowed, Detect([0x7F, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0], "image.jpg").Rejection);
        Assert.Equal(MediaRejection.TypeNotAllowed, Detect([(byte)'P', (byte)'K', 3, 4, 20, 0, 0, 0], "doc.pdf").Rejection);
    }

    [Fact]
    public void The_name_and_claimed_type_never_decide_a_jpeg_named_png_is_a_jpeg()
    {
        Assert.Equal(MediaFormats.Jpeg, Detect(MediaSamples.Jpeg(10, 10), "fake.png").Format);
    }

    [Fact]
    public void An_empty_file_is_refused()
    {
        Assert.Equal(MediaRejection.Empty, Detect([]).Rejection);
    }

    [Fact]
    public void Truncated_or_damaged_image_headers_are_refused()
    {
        var png = MediaSamples.Png(4, 4);
        Assert.Equal(MediaRejection.DamagedImage, Detect(png[..20]).Rejection);
        var noIhdr = (byte[])png.Clone();
        noIhdr[12] = (byte)'X';
        Assert.Equal(MediaRejection.DamagedImage, Detect(noIhdr).Rejection);
        var zeroWidth = MediaSamples.Png(0, 4);
        Assert.Equal(MediaRejection.DamagedImage, Detect(zeroWidth).Rejection);
        // A JPEG whose segments run past the end, or which starts its scan before any frame header.
        Assert.Equal(MediaRejection.DamagedImage, Detect([0xFF, 0xD8, 0xFF, 0xE1, 0x7F, 0xFF, 0x00]).Rejection);
        Assert.Equal(MediaRejection.DamagedImage, Detect([0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x02]).Rejection);
        Assert.Equal(MediaRejection.DamagedImage, Detect([.. "RIFF"u8, 0, 0, 0, 0, .. "WEBP"u8, .. "VP8Z"u8, .. new byte[20]]).Rejection);
        Assert.Equal(MediaRejection.DamagedImage, Detect([.. "GIF89a"u8, 1]).Rejection);
    }

    [Fact]
    public void Refusal_messages_are_localized()
    {
        var previous = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = new CultureInfo("ja");
            Assert.Contains("SVG", MediaMessages.For(MediaRejection.SvgNotAllowed), StringComparison.Ordinal);
            Assert.Contains("アップロードできません", MediaMessages.For(MediaRejection.TypeNotAllowed), StringComparison.Ordinal);
            CultureInfo.CurrentUICulture = new CultureInfo("en");
            Assert.Equal("The file is larger than the limit of 1 MiB.", MediaMessages.For(MediaRejection.TooLarge, 1024 * 1024));
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }
}

public sealed class MediaFileNameTests
{
    [Theory]
    [InlineData("photo.png", "photo.png")]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("C:\\fakepath\\写真 1.jpg", "写真 1.jpg")]
    [InlineData("evil\r\nX-Injected: 1.png", "evilX-Injected: 1.png")]
    [InlineData("a\u202Egnp.exe", "agnp.exe")]
    [InlineData("...", MediaFileName.Fallback)]
    [InlineData("", MediaFileName.Fallback)]
    [InlineData(null, MediaFileName.Fallback)]
    public void Names_are_cleaned_for_display(string? input, string expected) =>
        Assert.Equal(expected, MediaFileName.Sanitize(input));

    [Fact]
    public void Long_names_are_cut_keeping_the_extension()
    {
        var name = MediaFileName.Sanitize(new string('あ', 400) + ".png");
        Assert.Equal(MediaItem.FileNameMaxLength, name.Length);
        Assert.EndsWith(".png", name, StringComparison.Ordinal);
    }
}

public sealed class MediaValidatorTests
{
    [Fact]
    public void Details_longer_than_allowed_or_with_line_breaks_are_refused()
    {
        var validator = new MediaDetailsValidator();
        Assert.True(validator.Validate(new MediaDetails("代替", "Alt", "題", "Title")).IsValid);
        Assert.False(validator.Validate(new MediaDetails(new string('a', MediaItem.AltTextMaxLength + 1), null, null, null)).IsValid);
        Assert.False(validator.Validate(new MediaDetails(null, null, null, new string('a', MediaItem.TitleMaxLength + 1))).IsValid);
        Assert.False(validator.Validate(new MediaDetails(null, "line\nbreak", null, null)).IsValid);
    }

    [Fact]
    public void Queries_out_of_range_are_refused()
    {
        var validator = new MediaQueryValidator();
        Assert.True(validator.Validate(new MediaQuery("x", PageSize: 24)).IsValid);
        Assert.False(validator.Validate(new MediaQuery(Page: -1)).IsValid);
        Assert.False(validator.Validate(new MediaQuery(PageSize: MediaQuery.MaxPageSize + 1)).IsValid);
        Assert.False(validator.Validate(new MediaQuery(new string('x', 201))).IsValid);
    }

    [Fact]
    public void Uploads_over_the_limit_or_of_a_refused_type_fail_with_the_reason()
    {
        var validator = new MediaUploadValidator();
        var png = new MediaDetection(MediaFormats.Png, MediaRejection.None, 1, 1);
        Assert.True(validator.Validate(new MediaUploadCheck(100, 100, png)).IsValid);
        Assert.False(validator.Validate(new MediaUploadCheck(101, 100, png)).IsValid);
        var svg = validator.Validate(new MediaUploadCheck(10, 100, MediaDetection.Refused(MediaRejection.SvgNotAllowed)));
        Assert.Contains(svg.Errors, e => e.ErrorMessage.Contains("SVG", StringComparison.Ordinal));
    }
}

public sealed class MediaMessagesResourceTests
{
    [Fact]
    public void Every_media_message_exists_in_english_and_japanese()
    {
        static Dictionary<string, string> Load(string file) =>
            System.Xml.Linq.XDocument.Load(Path.Combine(RepositoryPaths.Root, "Kuroco.Core", "Resources", file)).Root!.Elements("data")
                .ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? "");
        var english = Load("MediaMessages.resx");
        var japanese = Load("MediaMessages.ja.resx");
        Assert.Equal(english.Keys.Order(StringComparer.Ordinal), japanese.Keys.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(english.Values.Concat(japanese.Values), string.IsNullOrWhiteSpace);
        foreach (var rejection in Enum.GetValues<MediaRejection>().Where(r => r != MediaRejection.None))
        {
            Assert.True(english.ContainsKey("Media." + rejection), $"No message for {rejection}");
        }
    }
}
