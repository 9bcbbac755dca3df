from django.urls import reverse

from mutualaid.aid import services
from mutualaid.aid.models import Category, CategoryAction, CategoryChange
from mutualaid.lib.refusal import Refusal
from mutualaid.network.tests.base import NetworkAdminTestCase


def categories_state():
    return (
        list(Category.objects.order_by("pk").values()),
        list(CategoryChange.objects.order_by("pk").values()),
    )


def changes():
    return list(
        CategoryChange.objects.order_by("pk").values_list("category__slug", "action", "old", "new")
    )


def names_in_order():
    return list(Category.objects.order_by("position", "name").values_list("name", flat=True))


class CategoryServicesTestCase(NetworkAdminTestCase):
    def test_a_new_category_comes_last_with_a_fresh_slug(self):
        category = services.category_add(name="Pet care", by=self.organizer)
        self.assertEqual(category.slug, "pet-care")
        self.assertEqual(names_in_order()[-1], "Pet care")
        Category.objects.filter(pk=category.pk).update(name="Pets")
        again = services.category_add(name="Pet Care", by=self.organizer)
        self.assertEqual(again.slug, "pet-care-2")

    def test_moving_swaps_with_the_neighbor_and_stops_at_the_ends(self):
        order = names_in_order()
        second = Category.objects.get(name=order[1])
        services.category_move(category=second, up=True, by=self.organizer)
        self.assertEqual(names_in_order(), [order[1], order[0], *order[2:]])
        services.category_move(category=second, up=True, by=self.organizer)
        self.assertEqual(names_in_order(), [order[1], order[0], *order[2:]])

    def test_it_refuses_a_name_taken(self):
        with self.assertRaisesMessage(Refusal, "already a kind of help"):
            services.category_rename(category=self.rides, name="GROCERIES", by=self.organizer)

    def test_it_refuses_a_member_who_may_not_configure_the_network(self):
        before = categories_state()
        calls = [
            (services.category_add, {"name": "Pet care"}),
            (services.category_rename, {"category": self.rides, "name": "Lifts"}),
            (services.category_move, {"category": self.rides, "up": True}),
        ]
        for member in (self.outsider, self.triager, None):
            for service, arguments in calls:
                with self.subTest(member=member, service=service.__name__):
                    with self.assertRaises(Refusal) as refused:
                        service(**arguments, by=member)
                    self.assertEqual(refused.exception.code, "forbidden")
        self.assertEqual(categories_state(), before)


class CategoryChangesTestCase(NetworkAdminTestCase):
    def test_adding_renaming_and_moving_are_recorded_with_old_and_new_values(self):
        pets = services.category_add(name="Pet care", by=self.organizer)
        services.category_rename(category=pets, name="Pets", by=self.organizer)
        last = len(names_in_order())
        services.category_move(category=pets, up=True, by=self.organizer)
        self.assertEqual(
            changes(),
            [
                ("pet-care", CategoryAction.ADDED, None, "Pet care"),
                ("pet-care", CategoryAction.RENAMED, "Pet care", "Pets"),
                ("pet-care", CategoryAction.MOVED, last, last - 1),
            ],
        )
        self.assertEqual(
            set(CategoryChange.objects.values_list("actor", flat=True)), {self.organizer.pk}
        )

    def test_what_changes_nothing_records_nothing(self):
        services.category_rename(category=self.rides, name="Rides", by=self.organizer)
        first = Category.objects.get(name=names_in_order()[0])
        services.category_move(category=first, up=True, by=self.organizer)
        with self.assertRaises(Refusal):
            services.category_rename(category=self.rides, name="Groceries", by=self.organizer)
        self.assertEqual(changes(), [])

    def test_the_record_is_append_only(self):
        services.category_rename(category=self.rides, name="Lifts", by=self.organizer)
        change = CategoryChange.objects.get()
        with self.assertRaises(TypeError):
            change.save()
        with self.assertRaises(TypeError):
            change.delete()
        with self.assertRaises(TypeError):
            CategoryChange.objects.update(new="Cars")
        self.assertEqual(CategoryChange.objects.get().new, "Lifts")


class CategoriesPageTestCase(NetworkAdminTestCase):
    url = reverse("aid:categories")

    def test_it_refuses_outsiders(self):
        rename = reverse("aid:category_rename", args=["rides"])
        move = reverse("aid:category_move", args=["rides"])
        self.assert_outsiders_refused(self.url)
        for url, data in [
            (self.url, {"name": "Pet care"}),
            (rename, {"name": "Lifts"}),
            (move, {"direction": "up"}),
        ]:
            self.assert_outsiders_refused(url, method="post", data=data, unchanged=categories_state)
        self.assertEqual(self.client.get(rename).status_code, 405)

    def test_it_lists_the_categories_in_fixed_queries(self):
        with self.assertNumQueries(2) as first:  # the session with its member, the list
            response = self.client.get(self.url)
        self.assertContains(response, "Move Rides up")
        for i in range(5):
            services.category_add(name=f"Kind {i}", by=self.organizer)
        with self.assertNumQueries(len(first)):
            self.client.get(self.url)

    def test_an_admin_adds_renames_and_moves(self):
        self.assertRedirects(
            self.client.post(self.url, {"name": "Pet care"}),
            self.url,
            fetch_redirect_response=False,
        )
        rename = reverse("aid:category_rename", args=["rides"])
        self.assertEqual(self.client.post(rename, {"name": "Lifts"}).status_code, 302)
        self.assertEqual(Category.objects.get(slug="rides").name, "Lifts")
        before = names_in_order()
        move = reverse("aid:category_move", args=["pet-care"])
        self.assertEqual(self.client.post(move, {"direction": "up"}).status_code, 302)
        self.assertEqual(names_in_order(), [*before[:-2], "Pet care", before[-2]])
        self.assertEqual(
            list(CategoryChange.objects.order_by("pk").values_list("action", "actor")),
            [
                (CategoryAction.ADDED, self.organizer.pk),
                (CategoryAction.RENAMED, self.organizer.pk),
                (CategoryAction.MOVED, self.organizer.pk),
            ],
        )

    def test_bad_input_is_refused_with_a_clear_message(self):
        rename = reverse("aid:category_rename", args=["rides"])
        move = reverse("aid:category_move", args=["rides"])
        cases = [
            (self.url, {"name": ""}, "This field is required."),
            (self.url, {"name": "groceries"}, "There is already a kind of help called"),
            (self.url, {"name": "Call @someone"}, "looks like a link or profile handle"),
            (rename, {"name": "Groceries"}, "There is already a kind of help called"),
            (rename, {"name": "x" * 61}, "at most 60 characters"),
            (move, {"direction": "sideways"}, "Choose to move it up or down."),
        ]
        for url, data, message in cases:
            with self.subTest(url=url, data=data):
                before = categories_state()
                response = self.client.post(url, data)
                self.assertContains(response, message, status_code=422)
                self.assertEqual(categories_state(), before)

    def test_an_unknown_category_is_not_found(self):
        url = reverse("aid:category_rename", args=["no-such-kind"])
        self.assertEqual(self.client.post(url, {"name": "X"}).status_code, 404)
