"""Routes of the social feature (social screen, Puskesos referrals)."""

from django.urls import path

from kader import views_social as v

urlpatterns = [
    path("sosial/skrining/<uuid:uuid>/", v.screen_create, name="social-screen"),
    path("sosial/skrining/hasil/<uuid:uuid>/", v.screen_result, name="social-screen-result"),
    path("sosial/skrining/hasil/<uuid:uuid>/ajukan/", v.screen_refer, name="social-refer"),
    path("sosial/rujukan/", v.referral_list, name="social-referral-list"),
    path("sosial/rujukan/<uuid:uuid>/", v.referral_detail, name="social-referral-detail"),
    path("sosial/rujukan/<uuid:uuid>/status/", v.referral_status, name="social-referral-status"),
    path("rujukan-saya/", v.my_referrals, name="my-referrals"),
]
