// Strength meter of the change-password page: asks POST /account/password-check (antiforgery token
// from the page's form) and shows the score and the broken rules. The server decides on submit anyway.
(function () {
    "use strict";
    var box = document.getElementById("password-strength");
    var input = document.getElementById("new");
    if (!box || !input || !window.fetch) {
        return;
    }
    var form = input.form;
    var tokenField = form && form.querySelector("input[name='__RequestVerificationToken']");
    var meter = box.querySelector("meter");
    var label = box.querySelector(".password-strength-label");
    var list = box.querySelector(".password-strength-violations");
    var labels = (box.getAttribute("data-labels") || "").split("|");
    var timer = 0;
    var sequence = 0;

    function render(result) {
        box.hidden = false;
        meter.value = result.score;
        label.textContent = labels[result.score] || String(result.score);
        list.textContent = "";
        result.violations.forEach(function (v) {
            var li = document.createElement("li");
            li.textContent = v.message;
            li.setAttribute("data-code", v.code);
            list.appendChild(li);
        });
        box.setAttribute("data-score", String(result.score));
    }

    function check() {
        var value = input.value;
        if (!value) {
            box.hidden = true;
            return;
        }
        var mine = ++sequence;
        var body = new FormData();
        body.append("password", value);
        if (tokenField) {
            body.append("__RequestVerificationToken", tokenField.value);
        }
        fetch(box.getAttribute("data-endpoint") || "/account/password-check", { method: "POST", body: body, credentials: "same-origin" })
            .then(function (r) { return r.ok ? r.json() : null; })
            .then(function (result) {
                if (result && mine === sequence) {
                    render(result);
                }
            })
            .catch(function () { /* the meter is optional */ });
    }

    input.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(check, 300);
    });
})();
