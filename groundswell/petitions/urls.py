from django.urls import path

from groundswell.petitions import areas, paper, partners, puzzle, views, withdraw

app_name = "petitions"
urlpatterns = [
    path("petitions/", views.petition_list, name="list"),
    path("petitions/<slug:slug>.json", views.petition_json, name="json"),
    path("petitions/<slug:slug>/", views.petition_detail, name="detail"),
    path("petitions/<slug:slug>/embed/", views.petition_embed, name="embed"),
    path("petitions/<slug:slug>/check-your-email/", views.check_email, name="check_email"),
    path("petitions/<slug:slug>/confirm/<str:token>/", views.confirm, name="confirm"),
    path("petitions/<slug:slug>/confirmed/", views.confirmed, name="confirmed"),
    path("petitions/<slug:slug>/versions/", views.petition_versions, name="versions"),
    path("petitions/<slug:slug>/puzzle.json", puzzle.puzzle, name="puzzle"),
    path("petitions/<slug:slug>/counts.csv", views.counts_csv, name="counts_csv"),
    path("petitions/<slug:slug>/near-me/", areas.near_me, name="near_me"),
    path("petitions/<slug:slug>/map/", areas.petition_map, name="petition_map"),
    path("petitions/<slug:slug>/map.svg", areas.petition_map_svg, name="petition_map_svg"),
    path("petitions/<slug:slug>/constituencies.csv", areas.constituencies_csv, name="constituencies_csv"),
    path("my-data/<str:token>/withdraw/<uuid:public_id>/", withdraw.withdraw, name="withdraw"),
    path("organise/petitions/new/", views.petition_edit, name="create"),
    path("organise/petitions/<int:pk>/edit/", views.petition_edit, name="edit"),
    path("organise/petitions/<int:pk>/state/", views.petition_state, name="state"),
    path("organise/petitions/<int:pk>/paper/", paper.paper_overview, name="paper"),
    path("organise/petitions/<int:pk>/paper/new/", paper.print_new_sheet, name="paper_new"),
    path("organise/petitions/<int:pk>/assisted/", paper.assisted_sign, name="assisted"),
    path("organise/paper/<int:pk>/", paper.paper_sheet, name="paper_sheet"),
    path("organise/paper/<int:pk>/print/", paper.paper_print, name="paper_print"),
    path("organise/paper/<int:pk>/withdraw/", paper.paper_sheet_withdraw, name="paper_withdraw"),
    path("organise/paper/<int:pk>/scan/", paper.paper_scan, name="paper_scan"),
    path("organise/signatures/<uuid:public_id>/correct/", paper.signer_correct, name="signer_correct"),
    path("organise/signatures/<uuid:public_id>/withdraw/", paper.signer_withdraw, name="signer_withdraw"),
    # Coalitions (issue 17): partners, figures by source, exports.
    path("organise/campaigns/<int:pk>/partners/", partners.campaign_partners, name="campaign_partners"),
    path("organise/campaigns/<int:pk>/partners/<int:partner_pk>/remove/", partners.campaign_partner_remove, name="campaign_partner_remove"),
    path("organise/partnerships/<int:pk>/", partners.partner_page, name="partner"),
    path("organise/partnerships/<int:pk>/supporters.csv", partners.partner_csv, name="partner_csv"),
    path("organise/export/<slug:slug>/", partners.export_page, name="export"),
    path("organise/export/<slug:slug>/supporters.csv", partners.export_csv, name="export_csv"),
]
