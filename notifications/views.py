from django.contrib import messages as flash
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import DomainError, InvalidInput
from notifications import messages, phones, selectors, services
from notifications.forms import CHANNEL_LABELS, SettingsForm
from notifications.models import Kind


@require_GET
@login_required
def notification_list(request):
    rows = selectors.notification_list_for_user(user=request.user)
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    return render(request, "notifications/notification_list.html", {"page": page})


@require_GET
@login_required
def notification_detail(request, pk):
    """Opening a notification reads it."""
    notification = selectors.notification_get_for_user(user=request.user, pk=pk)
    services.notification_mark_read(notification=notification)
    zone = str(services.settings_for(request.user).timezone)
    context = messages.display_context(notification, zone)
    context["body"] = messages.render_body(notification, context)
    return render(request, "notifications/notification_detail.html", context)


@require_POST
@login_required
def notification_read(request, pk):
    notification = selectors.notification_get_for_user(user=request.user, pk=pk)
    services.notification_mark_read(notification=notification)
    if request.htmx:
        return render(request, "notifications/_item.html", {"notification": notification})
    return redirect("notifications:list")


@require_POST
@login_required
def notification_read_all(request):
    services.notification_mark_all_read(user=request.user)
    return redirect("notifications:list")


@require_GET
def bell(request):
    return render(request, "notifications/_bell.html")


@require_http_methods(["GET", "POST"])
@login_required
def preferences(request):
    row = services.settings_for(request.user)
    matrix = services.preference_matrix(user=request.user)
    initial = {"timezone": str(row.timezone), "quiet_hours": row.quiet_hours}
    initial.update(quiet_start=row.quiet_start, quiet_end=row.quiet_end)
    form = SettingsForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.preferences_update(
                user=request.user,
                choices=form.choices_from(request.POST, matrix),
                time_zone=form.cleaned_data["timezone"],
                quiet_hours=form.cleaned_data["quiet_hours"],
                quiet_start=form.cleaned_data["quiet_start"],
                quiet_end=form.cleaned_data["quiet_end"],
            )
        except InvalidInput as exc:
            form.add_error(None, exc.message)
        else:
            flash.success(request, _("Your notification settings were saved."))
            return redirect("notifications:preferences")
    kinds = {}
    for item in matrix:
        kinds.setdefault(item["kind"], {"label": item["label"], "channels": []})["channels"].append(
            {**item, "channel_label": CHANNEL_LABELS[item["channel"]]}
        )
    context = {
        "form": form,
        "kinds": kinds,
        "phones": phones.phone_status(user=request.user),
    }
    return render(request, "notifications/preferences.html", context)


@require_POST
@login_required
def phone_code_send(request):
    """The page's "send me a code" button; the API's POST /me/phone-verifications/ twin."""
    try:
        phones.phone_verification_start(user=request.user, channel=request.POST.get("channel", ""))
    except DomainError as exc:
        flash.error(request, exc.message)
    else:
        flash.success(request, _("We sent you a 6-digit code. Type it below within 10 minutes."))
    return redirect("notifications:preferences")


@require_POST
@login_required
def phone_code_confirm(request):
    try:
        phones.phone_verification_confirm(
            user=request.user, channel=request.POST.get("channel", ""), code=request.POST.get("code", "")
        )
    except DomainError as exc:
        flash.error(request, exc.message)
    else:
        flash.success(request, _("Your number is verified."))
    return redirect("notifications:preferences")


@csrf_exempt  # RFC 8058: mail clients POST the one-click unsubscribe without a form; the token is the proof
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    try:
        data = messages.unsubscribe_read(token)
    except signing.BadSignature:
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    kind_label = Kind(data["k"]).label
    if request.method == "POST":
        user = get_user_model().objects.filter(pk=data.get("u")).first() if data.get("u") else None
        if data.get("u") and user is None:
            return render(request, "notifications/unsubscribe_invalid.html", status=400)
        services.unsubscribe(user=user, address=data.get("a", ""), kind=data["k"])
        return render(request, "notifications/unsubscribe_done.html", {"kind_label": kind_label})
    return render(request, "notifications/unsubscribe_confirm.html", {"kind_label": kind_label, "token": token})
