"""The assignment page in a real browser, from the keyboard alone: Tab reaches every answer in order,
typing shows the preview in its live region, arrow keys choose an option, Enter submits. A preview
typed after the session ended says so instead of showing the sign-in page. (Skipped, saying why,
where Chromium is not installed.)"""

from __future__ import annotations

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as seen

from . import test_browser as web

server, browser = web.server, web.browser   # a served course on uvicorn, and headless Chromium


def focused(driver):
    return driver.switch_to.active_element


def test_the_assignment_page_works_from_the_keyboard_alone(server, browser):
    base, served = server
    web.sign_in(browser, base, served.tokens["carol"], "Your assignments")
    browser.get(base + "/assignments/demo")
    fields = [f for f in browser.find_elements(By.CSS_SELECTOR, "form.answers input, form.answers textarea")
              if f.get_attribute("type") != "hidden"]
    radios = {f.get_attribute("name") for f in fields if f.get_attribute("type") == "radio"}
    expected = [f.get_attribute("id") or f.get_attribute("name") for f in fields if f.get_attribute("type") != "radio"
                or f.get_attribute("value") == "yes"]   # Tab enters a radio group once, at its first option
    reached = []
    ActionChains(browser).send_keys(Keys.TAB).perform()   # the skip link first
    assert focused(browser).text == "Skip to content"
    for _ in range(40):
        ActionChains(browser).send_keys(Keys.TAB).perform()
        here = focused(browser)
        if here.tag_name == "button" and here.text == "Submit answers":
            break
        if here.tag_name in ("input", "textarea"):
            reached.append(here.get_attribute("id") or here.get_attribute("name"))
    assert reached == expected and len(radios) == 1

    box = web.answer_box(browser, "dsigma")
    box.click()
    ActionChains(browser).send_keys("sigma(z)(1 - sigma(z))").perform()
    region = browser.find_element(By.ID, box.get_attribute("id") + "-preview")
    assert region.get_attribute("aria-live") == "polite"
    web.wait(browser).until(lambda d: region.find_elements(By.TAG_NAME, "math"))
    yes = browser.find_element(By.CSS_SELECTOR, "input[type=radio][value=yes]")
    yes.send_keys(Keys.SPACE)                                  # a radio is chosen with the keyboard
    ActionChains(browser).send_keys(Keys.ARROW_DOWN).perform()   # and changed with the arrows
    assert browser.find_element(By.CSS_SELECTOR, "input[type=radio][value=no]").is_selected()
    web.answer_box(browser, "z").send_keys("1", Keys.ENTER)   # Enter in a box submits the form
    web.wait(browser).until(seen.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Report: demo"))
    rows = {row.find_element(By.TAG_NAME, "th").text: row.find_elements(By.TAG_NAME, "td")
            for row in browser.find_elements(By.CSS_SELECTOR, "table.report tbody tr")}
    assert rows["dsigma"][0].text == "correct"
    assert (rows["trace"][0].text, rows["trace"][2].text) == ("incorrect", "no")


def test_a_preview_after_the_session_ended_says_so(server, browser):
    base, served = server
    web.sign_in(browser, base, served.tokens["bob"], "Your assignments")
    browser.get(base + "/assignments/demo")
    browser.delete_cookie("grade_session")   # as when the session expires with the page open
    box = web.answer_box(browser, "dsigma")
    box.send_keys("sigma(z)")
    region = (By.ID, box.get_attribute("id") + "-preview")
    web.wait(browser).until(seen.text_to_be_present_in_element(region, "You are signed out"))
    assert browser.find_element(*region).find_elements(By.XPATH, ".//*") == []   # no sign-in form in it
