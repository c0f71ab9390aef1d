"""Campaign results and an influencer's track record: marketers (viewers too) read;
influencers get 403 (the role middleware keeps them in the portal as well)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.access import marketer_required
from campaigns import selectors as campaign_selectors
from influencers import selectors as influencer_selectors
from partnerships.relationships.selectors import influencer_relationship

from . import csv_export, selectors


@marketer_required
def campaign_results(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_selectors.campaign_for_user(request.user, pk)
    results = selectors.campaign_results(campaign)
    return render(request, "metrics/campaign_results.html", {"results": results})


@marketer_required
def campaign_results_csv(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_selectors.campaign_for_user(request.user, pk)
    response = _csv_response(f"results-campaign-{campaign.pk}.csv")
    csv_export.write_campaign_results(response, selectors.campaign_results(campaign, chart=False))
    return response


@marketer_required
def track_record_csv(request: HttpRequest, pk: int) -> HttpResponse:
    influencer = influencer_selectors.influencer_for_user(request.user, pk)
    relationship = influencer_relationship(influencer, timezone.localdate())
    response = _csv_response(f"track-record-influencer-{influencer.pk}.csv")
    csv_export.write_track_record(response, selectors.track_record(relationship))
    return response


def _csv_response(filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
