from django.urls import path

from groundswell.ledger import feeds, organise, views

app_name = "ledger"
urlpatterns = [
    path("campaigns/<slug:slug>/ledger.json", views.ledger_json, name="json"),
    path("campaigns/<slug:slug>/ledger.csv", views.ledger_csv, name="csv"),
    path("campaigns/<slug:slug>/ledger/feed/", feeds.CampaignLedgerFeed(), name="feed"),
    path("ledger/answer/<str:token>/", views.answer, name="answer"),
    path("organise/ledger/asks/send/", organise.batch_create, name="batch_create"),
    path("organise/ledger/batches/", organise.batches, name="batches"),
    path("organise/ledger/batches/<int:pk>/", organise.batch_page, name="batch"),
    path("organise/ledger/replies/<int:pk>/", organise.reply_page, name="reply"),
    path("organise/ledger/replies/<int:pk>/<str:which>/", organise.reply_file, name="reply_file"),
    path("organise/ledger/asks/<int:pk>/internal-review/", organise.internal_review, name="internal_review"),
    path("organise/ledger/campaigns/<int:campaign_pk>/chasing/", organise.chase_settings, name="chase_settings"),
    path("campaigns/<slug:slug>/ledger/<int:target_id>/", views.target_detail, name="target"),
    path("ledger/documents/<str:kind>/<int:pk>/", views.download_document, name="document"),
    path("organise/ledger/", organise.index, name="organise"),
    path("organise/ledger/history/", organise.history, name="history"),
    path("organise/ledger/targets/new/", organise.target_edit, name="target_create"),
    path("organise/ledger/targets/add/<str:kind>/", organise.target_from_pack, name="target_from_pack"),
    path("organise/ledger/targets/add-all/", organise.targets_from_pack, name="targets_from_pack"),
    path("organise/ledger/targets/<int:pk>/", organise.target_page, name="organise_target"),
    path("organise/ledger/targets/<int:pk>/edit/", organise.target_edit, name="target_edit"),
    path("organise/ledger/targets/<int:target_pk>/asks/new/", organise.ask_edit, name="ask_create"),
    path("organise/ledger/asks/<int:pk>/edit/", organise.ask_edit, name="ask_edit"),
    path("organise/ledger/asks/<int:ask_pk>/responses/new/", organise.response_edit, name="response_create"),
    path("organise/ledger/responses/<int:pk>/edit/", organise.response_edit, name="response_edit"),
    path("organise/ledger/responses/<int:response_pk>/commitments/new/", organise.commitment_edit, name="commitment_create"),
    path("organise/ledger/commitments/<int:pk>/edit/", organise.commitment_edit, name="commitment_edit"),
]
