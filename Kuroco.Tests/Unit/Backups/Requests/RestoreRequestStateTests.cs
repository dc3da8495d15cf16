using Kuroco.Core.Backups;
using Kuroco.Core.Backups.Requests;
using Kuroco.Core.Common;
using Microsoft.Extensions.Time.Testing;

namespace Kuroco.Tests.Unit.Backups.Requests;

/// <summary>The restore request's state machine: each step only from the state before it, each on the timeline.</summary>
public sealed class RestoreRequestStateTests
{
    private static readonly DateTime Now = new(2026, 12, 6, 1, 0, 0, DateTimeKind.Utc);
    private static readonly RestoreRequestActor Staff = new("staff-1", "support@test.local");

    private static RestoreRequest Received() => RestoreRequest.Receive(
        new RestoreRequestIntake("ACME", "it@acme.example", "ja",
            new RestoreScope([new RestoreTarget(RestoreTargetKind.Member, "lost@acme.example")]), Now.AddDays(-1), null),
        2026, 7, Staff, Now);

    private static RestoreRequest Quoted()
    {
        var r = Received();
        Assert.True(r.Quote(88_000, Now.AddDays(3), "hash", Now.AddDays(7), Staff, Now).Succeeded);
        return r;
    }

    [Fact]
    public void The_happy_path_moves_through_every_state_and_records_each_step_with_who_and_when()
    {
        var r = Quoted();
        Assert.Equal("RR-2026-0007", r.Reference);
        Assert.True(r.ApproveByLink(Now.AddHours(1)).Succeeded);
        Assert.Null(r.ApprovalTokenHash);
        Assert.True(r.StartExtraction("20261205T170000Z-aaaa", Staff, Now.AddHours(2)).Succeeded);
        Assert.Equal(RestoreRequestWork.Extracting, r.Work);
        Assert.True(r.CompleteExtraction("{}", Now.AddHours(3)).Succeeded);
        Assert.True(r.StartApply("{}", Staff, Now.AddHours(4)).Succeeded);
        Assert.True(r.CompleteApply("{}", Now.AddHours(5)).Succeeded);
        Assert.True(r.MarkNotified(Now.AddHours(6)).Succeeded);

        Assert.Equal(RestoreRequestState.Notified, r.State);
        Assert.False(r.IsOpen);
        Assert.Equal(
            [RestoreRequestEvents.Received, RestoreRequestEvents.Quoted, RestoreRequestEvents.ApprovedByLink, RestoreRequestEvents.ExtractionStarted,
             RestoreRequestEvents.Extracted, RestoreRequestEvents.ApplyStarted, RestoreRequestEvents.Applied, RestoreRequestEvents.Notified],
            r.Events.Select(e => e.Event));
        Assert.Equal(RestoreRequestActor.CustomerName, r.Events[2].ActorName);
        Assert.Null(r.Events[2].StaffId);
        Assert.Equal("staff-1", r.Events[3].StaffId);
        Assert.Equal(Now.AddHours(6), r.Events[^1].AtUtc);
    }

    [Fact]
    public void No_step_can_be_skipped_and_nothing_is_extracted_before_approval()
    {
        var received = Received();
        Assert.Equal(ErrorKind.Conflict, received.ApproveByPhone("ok by phone", Staff, Now).Error);
        Assert.Equal(ErrorKind.Conflict, received.ApproveByLink(Now).Error);
        Assert.Equal(ErrorKind.Conflict, received.StartExtraction("gen", Staff, Now).Error);
        Assert.Equal(ErrorKind.Conflict, received.StartApply("{}", Staff, Now).Error);
        Assert.Equal(ErrorKind.Conflict, received.MarkNotified(Now).Error);

        var quoted = Quoted();
        Assert.Equal(ErrorKind.Conflict, quoted.StartExtraction("gen", Staff, Now).Error);
        Assert.Equal(ErrorKind.Conflict, quoted.CompleteExtraction("{}", Now).Error);

        var approved = Quoted();
        Assert.True(approved.ApproveByPhone("Mr. Sato said yes", Staff, Now).Succeeded);
        Assert.Equal(ErrorKind.Conflict, approved.StartApply("{}", Staff, Now).Error);
        Assert.Equal(ErrorKind.Conflict, approved.CompleteApply("{}", Now).Error);
        Assert.Equal(ErrorKind.Conflict, approved.Quote(1, Now.AddDays(1), "h", Now.AddDays(1), Staff, Now).Error);
        Assert.Equal("phone", approved.ApprovalMethod);

        // A refused step changes nothing and adds nothing to the timeline.
        Assert.Equal(RestoreRequestState.Received, received.State);
        Assert.Single(received.Events);
    }

    [Fact]
    public void The_approval_link_is_single_use_and_expires()
    {
        var r = Quoted();
        Assert.False(r.ApprovalLinkUsable(Now.AddDays(7)));
        Assert.Equal(ErrorKind.Conflict, r.ApproveByLink(Now.AddDays(7).AddSeconds(1)).Error);
        Assert.True(r.ApproveByLink(Now.AddDays(1)).Succeeded);
        Assert.Equal(ErrorKind.Conflict, r.ApproveByLink(Now.AddDays(1)).Error);
    }

    [Fact]
    public void A_phone_approval_needs_a_note_and_a_quote_needs_a_sane_fee_and_a_future_promise()
    {
        var r = Quoted();
        Assert.Equal(ErrorKind.Validation, r.ApproveByPhone("  ", Staff, Now).Error);
        Assert.Equal(RestoreRequestState.Quoted, r.State);

        var fresh = Received();
        Assert.Equal(ErrorKind.Validation, fresh.Quote(-1, Now.AddDays(1), "h", Now.AddDays(1), Staff, Now).Error);
        Assert.Equal(ErrorKind.Validation, fresh.Quote(88_000, Now.AddMinutes(-1), "h", Now.AddDays(1), Staff, Now).Error);
        Assert.Equal(RestoreRequestState.Received, fresh.State);
    }

    [Fact]
    public void A_failed_job_keeps_the_state_records_the_message_and_can_be_retried()
    {
        var r = Quoted();
        r.ApproveByPhone("yes", Staff, Now);
        r.StartExtraction("gen-1", Staff, Now);
        Assert.True(r.FailWork("The backup could not be decrypted.", Now.AddMinutes(1)).Succeeded);

        Assert.Equal(RestoreRequestState.Approved, r.State);
        Assert.Equal(RestoreRequestWork.None, r.Work);
        Assert.Equal("The backup could not be decrypted.", r.LastError);
        Assert.Equal(RestoreRequestEvents.Failed, r.Events[^1].Event);
        Assert.Contains("decrypted", r.Events[^1].Detail, StringComparison.Ordinal);
        Assert.True(r.StartExtraction("gen-2", Staff, Now.AddMinutes(2)).Succeeded);
        Assert.Null(r.LastError);
    }

    [Fact]
    public void Cancel_is_refused_once_applied_and_decline_only_answers_a_quote()
    {
        Assert.Equal(ErrorKind.Conflict, Received().Decline(null, Staff, Now).Error);
        var quoted = Quoted();
        Assert.True(quoted.Decline("too expensive", Staff, Now).Succeeded);
        Assert.Equal(RestoreRequestState.Declined, quoted.State);
        Assert.Null(quoted.ApprovalTokenHash);

        var applied = Quoted();
        applied.ApproveByPhone("yes", Staff, Now);
        applied.StartExtraction("g", Staff, Now);
        applied.CompleteExtraction("{}", Now);
        applied.StartApply("{}", Staff, Now);
        Assert.Equal(ErrorKind.Conflict, applied.Cancel(null, Staff, Now).Error);
        applied.CompleteApply("{}", Now);
        Assert.Equal(ErrorKind.Conflict, applied.Cancel(null, Staff, Now).Error);
    }

    [Theory]
    [InlineData("ja", 88000, "¥88,000")]
    [InlineData("en", 88000, "JPY 88,000")]
    [InlineData("en", 1234567, "JPY 1,234,567")]
    public void Fees_are_formatted_per_language(string language, long fee, string expected) =>
        Assert.Equal(expected, RestoreFees.Format(fee, language));

    [Fact]
    public void The_intake_refuses_line_breaks_bad_addresses_bad_targets_and_a_future_last_known_good()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(Now));
        var validator = new RestoreRequestIntakeValidator(clock);
        var good = new RestoreRequestIntake("ACME", "it@acme.example", "en",
            new RestoreScope([new RestoreTarget(RestoreTargetKind.Member, "lost@acme.example"), new RestoreTarget(RestoreTargetKind.ContentType, "news"),
                new RestoreTarget(RestoreTargetKind.ContentItem, Guid.NewGuid().ToString())]), Now.AddDays(-2), "notes");
        Assert.True(validator.Validate(good).IsValid);

        Assert.False(validator.Validate(good with { ContactEmail = "it@acme.example\r\nBcc: x@evil.example" }).IsValid);
        Assert.False(validator.Validate(good with { CustomerName = "ACME\nBcc: x" }).IsValid);
        Assert.False(validator.Validate(good with { ContactEmail = "not-an-address" }).IsValid);
        Assert.False(validator.Validate(good with { ContactLanguage = "fr" }).IsValid);
        Assert.False(validator.Validate(good with { Scope = new RestoreScope([]) }).IsValid);
        Assert.False(validator.Validate(good with { Scope = new RestoreScope([new RestoreTarget(RestoreTargetKind.MediaItem, "not-a-guid")]) }).IsValid);
        Assert.False(validator.Validate(good with { LastKnownGoodUtc = Now.AddMinutes(5) }).IsValid);
    }
}
