"""The pages in a real browser: headless Chromium driven by Selenium against `grade serve`'s app on
uvicorn (a free localhost port, in a thread). A student sees the caret error in the live preview,
fixes it, sees the reading as math, submits and reads the report; a TA scores a text answer and the
student's total and the export change; a hostile answer shows as text on the TA page.

Every wait is an explicit WebDriverWait on what the page shows. Set GRADE_SCREENSHOTS=docs to
refresh the README's screenshots (docs/student-preview.png, docs/ta-queue.png).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
from pathlib import Path

import httpx
import pytest

from .web_course import serve_course

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
DRIVER = shutil.which("chromedriver")
if CHROMIUM is None or DRIVER is None:
    pytest.skip("Chromium and chromedriver are not installed here (.ci/run installs them: apt-get install "
                "chromium chromium-driver)", allow_module_level=True)

import uvicorn  # noqa: E402
from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import NoAlertPresentException  # noqa: E402
from selenium.webdriver.chrome.options import Options  # noqa: E402
from selenium.webdriver.chrome.service import Service as DriverService  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support import expected_conditions as seen  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

WAIT = 30   # seconds an expected change may take on a loaded CI machine; never asserted as a duration
XSS = "<img src=x onerror=alert(1)><script>alert(2)</script>"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`grade serve`'s app on uvicorn, on a localhost port the OS picked: (base URL, served course)."""
    served = serve_course(tmp_path_factory.mktemp("browser-course"))
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    listening.listen()
    config = uvicorn.Config(served.app(), log_level="warning", lifespan="off")
    uvicorn_server = uvicorn.Server(config)
    thread = threading.Thread(target=uvicorn_server.run, kwargs={"sockets": [listening]}, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{listening.getsockname()[1]}"
    with httpx.Client() as client:   # up once it answers; each try waits for its own reply, no sleeping
        for _ in range(500):
            try:
                client.get(base + "/healthz", timeout=WAIT)
                break
            except httpx.TransportError:
                if not thread.is_alive():
                    raise
    yield base, served
    uvicorn_server.should_exit = True
    thread.join(WAIT)
    served.service.close()
    listening.close()


@pytest.fixture(scope="module")
def browser():
    options = Options()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--window-size=1100,1300", "--lang=en-US"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=DriverService(DRIVER), options=options)
    yield driver
    driver.quit()


def wait(driver):
    return WebDriverWait(driver, WAIT)


def sign_in(driver, base: str, token: str, heading: str) -> None:
    driver.delete_all_cookies()
    driver.get(base + "/signin")
    driver.find_element(By.ID, "token").send_keys(token)
    driver.find_element(By.CSS_SELECTOR, "form.signin button").click()
    wait(driver).until(seen.text_to_be_present_in_element((By.TAG_NAME, "h1"), heading))


def answer_box(driver, part: str):
    """The input of a part, found by its label's text as a person would."""
    label = driver.find_element(By.XPATH, f"//label[span[@class='pid' and text()='{part}']]")
    return driver.find_element(By.ID, label.get_attribute("for"))


def screenshot(driver, name: str, tmp_path: Path) -> None:
    folder = os.environ.get("GRADE_SCREENSHOTS")
    target = (Path(__file__).resolve().parents[1] / folder if folder else tmp_path) / name
    target.parent.mkdir(parents=True, exist_ok=True)
    assert driver.save_screenshot(str(target))


def export_score(base: str, driver, student: str) -> str:
    """The student's cell of the export CSV, downloaded with the browser's session."""
    cookie = driver.get_cookie("grade_session")["value"]
    csv = httpx.get(base + "/staff/demo/export.csv", cookies={"grade_session": cookie}, timeout=WAIT)
    assert csv.status_code == 200
    return re.search(rf"^{student},(.*)$", csv.text, re.M).group(1)


def no_alert(driver) -> bool:
    try:
        driver.switch_to.alert
    except NoAlertPresentException:
        return True
    return False


def test_a_student_previews_submits_and_a_ta_scores_the_text_part(server, browser, tmp_path):
    base, served = server
    # alice answers with the live preview
    sign_in(browser, base, served.tokens["alice"], "Your assignments")
    browser.find_element(By.LINK_TEXT, "demo").click()
    box = answer_box(browser, "dsigma")
    preview = browser.find_element(By.ID, box.get_attribute("id") + "-preview")
    assert preview.get_attribute("aria-live") == "polite"
    box.send_keys("sigma(z)(1 - sigma(z)")
    wait(browser).until(seen.text_to_be_present_in_element((By.ID, preview.get_attribute("id")), "never closed"))
    caret = preview.find_element(By.CSS_SELECTOR, "pre.caret").text.splitlines()
    assert caret == ["'(' is never closed at column 9:", "    sigma(z)(1 - sigma(z)", "            ^"]
    box.send_keys(")")
    math = wait(browser).until(lambda d: preview.find_elements(By.TAG_NAME, "math"))
    assert "σ" in math[0].text and "z" in math[0].text   # sigma(z) as the statement writes it
    assert preview.find_elements(By.CSS_SELECTOR, "pre.caret") == []
    answer_box(browser, "z").send_keys("1.28")
    unclosed = answer_box(browser, "a")
    unclosed.send_keys("1/(1 + e^{-1.28}")   # left unclosed for the screenshot: an error beside a reading
    wait(browser).until(seen.text_to_be_present_in_element((By.ID, unclosed.get_attribute("id") + "-preview"),
                                                           "never closed"))
    answer_box(browser, "why").send_keys("A saturated sigmoid has a(1 - a) near zero, so the gradient vanishes.")
    statement = box.find_element(By.XPATH, "ancestor::section//div[@class='statement']")
    assert {"z", "σ", "="} <= {m.text for m in statement.find_elements(By.TAG_NAME, "mi")
                              + statement.find_elements(By.TAG_NAME, "mo")}   # the statement's math, rendered
    browser.execute_script("arguments[0].scrollIntoView({block: 'start'})", statement)
    screenshot(browser, "student-preview.png", tmp_path)
    browser.find_element(By.CSS_SELECTOR, "form.answers button[type=submit]").click()
    wait(browser).until(seen.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Report: demo"))
    rows = {row.find_element(By.TAG_NAME, "th").text: row.find_elements(By.TAG_NAME, "td")[0].text
            for row in browser.find_elements(By.CSS_SELECTOR, "table.report tbody tr")}
    assert rows["dsigma"] == "correct" and rows["why"] == "ungraded" and rows["trace"] == "missing"
    assert rows["z"] in ("correct", "incorrect", "partial")   # alice's own draw decides; it was read
    total = browser.find_element(By.CSS_SELECTOR, "p.total strong").text
    before = float(total.split(" / ")[0])

    # mallory-like bob submits markup as his explanation
    sign_in(browser, base, served.tokens["bob"], "Your assignments")
    browser.get(base + "/assignments/demo")
    answer_box(browser, "why").send_keys(XSS)
    browser.find_element(By.CSS_SELECTOR, "form.answers button[type=submit]").click()
    wait(browser).until(seen.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Report: demo"))

    # the instructor's grading queue shows it as text, and scores alice's explanation
    sign_in(browser, base, served.tokens["prof"], "Class")
    assert export_score(base, browser, "alice") == f"{before:g}"
    browser.get(base + "/staff/demo/queue")
    wait(browser).until(seen.text_to_be_present_in_element((By.TAG_NAME, "h1"), "grading queue"))
    answers = {form.find_element(By.TAG_NAME, "h2").text: form
               for form in browser.find_elements(By.CSS_SELECTOR, "form.queue-item")}
    hostile = answers["bob · demo/neuron/why"].find_element(By.CSS_SELECTOR, "blockquote.answer")
    assert hostile.text == XSS
    assert hostile.find_elements(By.XPATH, "./*") == []   # no element was made of it: no img, no script
    assert no_alert(browser)
    screenshot(browser, "ta-queue.png", tmp_path)
    mine = answers["alice · demo/neuron/why"]
    mine.find_element(By.NAME, "comment").send_keys("Right: the factor a(1 - a).")
    mine.find_element(By.NAME, "points").send_keys("1", Keys.ENTER)   # from the keyboard alone
    wait(browser).until(seen.text_to_be_present_in_element((By.CSS_SELECTOR, "p.notice"),
                                                           "Saved: alice, demo/neuron/why scored 1."))
    assert export_score(base, browser, "alice") == f"{before + 1:g}"
    browser.get(base + "/staff/demo")
    cells = browser.find_element(By.XPATH, "//tr[th[text()='alice']]").find_elements(By.TAG_NAME, "td")
    assert cells[0].text == f"{before + 1:g} / 14"

    # alice sees the new total and the comment
    sign_in(browser, base, served.tokens["alice"], "Your assignments")
    browser.find_element(By.LINK_TEXT, "History").click()
    browser.find_element(By.CSS_SELECTOR, "tbody a").click()
    wait(browser).until(seen.text_to_be_present_in_element((By.CSS_SELECTOR, "p.total strong"),
                                                           f"{before + 1:g} / 14"))
    assert "scored by a person: Right: the factor a(1 - a)." in browser.page_source
