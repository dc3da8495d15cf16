using Kuroco.Core.Common;
using Kuroco.Core.Incidents;
using Kuroco.Core.Monitoring;
using Kuroco.Tests.Support;

namespace Kuroco.Tests.Unit.Incidents;

/// <summary>The seven steps as a state machine: next step only, who and when recorded, a closed incident refuses changes.</summary>
public sealed class IncidentStateMachineTests
{
    private static readonly DateTime Detected = new(2026, 12, 7, 1, 0, 0, DateTimeKind.Utc);

    private static Incident NewIncident() => new()
    {
        Id = Guid.NewGuid(),
        Title = "db down",
        PublicTitle = "Service disruption",
        DetectedAtUtc = Detected,
        DetectedBy = "op@test.local",
    };

    public static TheoryData<IncidentStep, IncidentStep> Skips()
    {
        var data = new TheoryData<IncidentStep, IncidentStep>();
        foreach (var from in Enum.GetValues<IncidentStep>().Where(s => s != IncidentStep.RecoveryAnnounced))
        {
            foreach (var to in Enum.GetValues<IncidentStep>().Where(s => s != from + 1))
            {
                data.Add(from, to);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Skips))]
    public void Every_move_but_to_the_next_step_is_refused_and_changes_nothing(IncidentStep from, IncidentStep to)
    {
        using var culture = new CultureScope("en");
        var incident = NewIncident();
        incident.Cause = IncidentCause.Network;
        Walk(incident, from);
        var transitions = incident.Transitions.Count;

        var result = IncidentStateMachine.Advance(incident, to, "op@test.local", Detected.AddHours(1));

        Assert.Equal(ErrorKind.Conflict, result.Error);
        Assert.Equal(from, incident.Step);
        Assert.Equal(transitions, incident.Transitions.Count);
        Assert.Equal($"Steps cannot be skipped: the incident can move to {IncidentMessages.StepName(from + 1)} only, not to {IncidentMessages.StepName(to)}.", result.Message);
    }

    [Fact]
    public void The_happy_path_walks_all_seven_steps_recording_who_and_when()
    {
        var incident = NewIncident();
        incident.Cause = IncidentCause.Software;
        var at = Detected;
        foreach (var step in IncidentStateMachine.Steps.Skip(1))
        {
            at = at.AddMinutes(10);
            Assert.True(IncidentStateMachine.Advance(incident, step, "op" + (int)step + "@test.local", at).Succeeded);
        }
        Assert.Equal(IncidentStep.RecoveryAnnounced, incident.Step);
        Assert.True(incident.IsClosed);
        Assert.Equal(Enum.GetValues<IncidentStep>().Skip(1), incident.Transitions.Select(t => t.Step));
        Assert.Equal("op2@test.local", incident.Transitions[0].By);
        Assert.Equal(Detected.AddMinutes(10), incident.ReachedAt(IncidentStep.Confirmed));
        Assert.Equal(Detected.AddMinutes(40), incident.ReachedAt(IncidentStep.Recovered));
        Assert.Equal(Detected, incident.ReachedAt(IncidentStep.Detected));
    }

    [Fact]
    public void A_closed_incident_refuses_every_change_in_japanese_too()
    {
        using var culture = new CultureScope("ja-JP");
        var incident = NewIncident();
        incident.Cause = IncidentCause.Hardware;
        Walk(incident, IncidentStep.RecoveryAnnounced);

        foreach (var step in IncidentStateMachine.Steps)
        {
            var result = IncidentStateMachine.Advance(incident, step, "op@test.local", Detected.AddDays(1));
            Assert.Equal(ErrorKind.Conflict, result.Error);
            Assert.Equal("このインシデントはクローズ済みのため、変更できません。", result.Message);
        }
        Assert.Equal(ErrorKind.Conflict, IncidentStateMachine.CheckOpen(incident).Error);
        Assert.Equal(6, incident.Transitions.Count);
    }

    [Fact]
    public void Recovery_needs_a_cause_because_the_cause_decides_who_recovers()
    {
        using var culture = new CultureScope("en");
        var incident = NewIncident();
        Walk(incident, IncidentStep.Investigating);

        var refused = IncidentStateMachine.Advance(incident, IncidentStep.Recovered, "op@test.local", Detected.AddHours(1));
        Assert.Equal(ErrorKind.Conflict, refused.Error);
        Assert.StartsWith("Set the cause before recovery", refused.Message, StringComparison.Ordinal);

        incident.Cause = IncidentCause.Network;
        Assert.True(IncidentStateMachine.Advance(incident, IncidentStep.Recovered, "op@test.local", Detected.AddHours(1)).Succeeded);
        Assert.Equal(IncidentCauses.InfrastructureEngineers, IncidentCauses.RecoveredBy(IncidentCause.Network));
        Assert.Equal(IncidentCauses.InfrastructureEngineers, IncidentCauses.RecoveredBy(IncidentCause.Hardware));
        Assert.Equal(IncidentCauses.CustomerOrVendorEngineers, IncidentCauses.RecoveredBy(IncidentCause.Software));
        Assert.Null(IncidentCauses.RecoveredBy(IncidentCause.Unknown));
    }

    [Fact]
    public void The_public_view_carries_no_staff_name_internal_note_title_cause_or_customer()
    {
        var incident = NewIncident();
        incident.Title = "db01.internal.example down";
        incident.PublicSummary = "Some pages fail.";
        incident.Cause = IncidentCause.Hardware;
        incident.Severity = AlertSeverity.Critical;
        incident.AffectedCustomers = "ACME Corp";
        incident.Notes.Add(new IncidentNote { AtUtc = Detected.AddMinutes(1), By = "op@test.local", Text = "ssh db01.internal.example", IsPublic = false });
        incident.Notes.Add(new IncidentNote { AtUtc = Detected.AddMinutes(2), By = "op@test.local", Text = "We are investigating.", IsPublic = true, Kind = IncidentNoteKind.Progress });
        Walk(incident, IncidentStep.Confirmed);

        var view = IncidentPublicView.From(incident);

        var text = System.Text.Json.JsonSerializer.Serialize(view);
        Assert.DoesNotContain("op@test.local", text, StringComparison.Ordinal);
        Assert.DoesNotContain("internal.example", text, StringComparison.Ordinal);
        Assert.DoesNotContain("ACME", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Hardware", text, StringComparison.Ordinal);
        Assert.Equal("Service disruption", view.Title);
        Assert.Equal([new IncidentPublicNote(Detected.AddMinutes(2), "We are investigating.", true)], view.Notes);
        Assert.Equal(Detected, view.StepsReachedAtUtc[IncidentStep.Detected]);
        Assert.True(view.StepsReachedAtUtc.ContainsKey(IncidentStep.Confirmed));
    }

    [Fact]
    public void Validators_refuse_bad_input_with_localized_messages()
    {
        using var culture = new CultureScope("ja-JP");
        var open = new OpenIncidentRequestValidator().Validate(new OpenIncidentRequest("", "a\r\nBcc: x@y", new string('x', 3000), (AlertSeverity)9, ["nope"]));
        Assert.Equal(
            ["タイトルを入力してください。", "タイトルや名前に改行は使えません。", "公開概要は 2000 文字以内で入力してください。", "不明な重大度です。", "不明なコンポーネントです。"],
            open.Errors.Select(e => e.ErrorMessage));
        var note = new AddIncidentNoteRequestValidator().Validate(new AddIncidentNoteRequest("progress", IsPublic: false, IsProgressReport: true));
        Assert.Equal(["進捗報告は公開されます（お客様が読みます）。"], note.Errors.Select(e => e.ErrorMessage));
        var contact = new NoticeContactRequestValidator().Validate(new NoticeContactRequest("A\nB", "not-an-email", "fr", "Mars/Base", [StatusComponents.Console]));
        Assert.Equal(4, contact.Errors.Count);
        Assert.True(new ClassifyIncidentRequestValidator().Validate(new ClassifyIncidentRequest("t", "p", "", AlertSeverity.Info, IncidentCause.Software, [StatusComponents.Mail], "", null)).IsValid);
    }

    private static void Walk(Incident incident, IncidentStep to)
    {
        var at = Detected;
        while (incident.Step < to)
        {
            at = at.AddMinutes(5);
            var next = incident.Step + 1;
            Assert.True(IncidentStateMachine.Advance(incident, next, "op@test.local", at).Succeeded);
        }
    }
}
