from django.urls import path

from .views import blocks, feedback, queue, reports, suspend

app_name = "safety"

urlpatterns = [
    path("needs/<uuid:code>/report/", reports.report_need, name="report_need"),
    path("offers/<uuid:code>/report/", reports.report_offer, name="report_offer"),
    path("messages/<uuid:code>/report/", reports.report_message, name="report_message"),
    path("report/", reports.report_member, name="report_member"),
    path("needs/<uuid:code>/feedback/", feedback.feedback_new, name="feedback"),
    path("safety/feedback/", feedback.feedback_list, name="feedback_list"),
    path("safety/reports/", queue.report_queue, name="report_queue"),
    path("safety/reports/<uuid:code>/", queue.report_detail, name="report_detail"),
    path("safety/reports/<uuid:code>/handle/", queue.report_handle, name="report_handle"),
    path("trust/members/<uuid:code>/suspend/", suspend.member_suspend, name="member_suspend"),
    path("blocks/", blocks.blocks, name="blocks"),
    path("blocks/unblock/", blocks.unblock, name="unblock"),
    path("messages/<uuid:code>/block/", blocks.block_from_message, name="block_from_message"),
]
