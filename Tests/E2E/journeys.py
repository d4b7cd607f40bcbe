"""End-to-end journeys in real headless Chromium, driven by Selenium over chromedriver.

Usage: [KEEL_E2E_SHOTS=DIR] journeys.py BASE_URL EMAIL PASSWORD ADMIN_EMAIL ADMIN_PASSWORD
Run by Tests/KeelServerTests/BrowserJourneyTests.swift against a real `keel serve` on a fresh SQLite file.
Each journey prints one line; the first failure exits non-zero with what was expected and what the page showed.
"""
import os
import re
import sys
import tempfile
import time
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

BASE, EMAIL, PASSWORD, ADMIN_EMAIL, ADMIN_PASSWORD = sys.argv[1:6]
SHOTS = os.environ.get("KEEL_E2E_SHOTS", "")


def api(method, path, body=None, email=None, password=None):
    """Calls the API as the given user (the admin by default) and returns its JSON answer."""
    import json
    login = urllib.request.Request(BASE + "/api/v1/auth/token", method="POST",
                                   data=json.dumps({"email": email or ADMIN_EMAIL, "password": password or ADMIN_PASSWORD}).encode())
    with urllib.request.urlopen(login) as r:
        token = json.load(r)["token"]
    request = urllib.request.Request(BASE + path, method=method, data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(request) as r:
        return json.load(r)


def wait_for_server():
    for _ in range(300):
        try:
            with urllib.request.urlopen(BASE + "/healthz", timeout=1) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("keel did not answer on " + BASE)


def browser():
    options = webdriver.ChromeOptions()
    for arg in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,900",
                "--lang=zh-CN"]:
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"intl.accept_languages": "zh-CN,zh"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def check(condition, what, driver):
    if not condition:
        body = driver.find_element(By.TAG_NAME, "body").text[:1500]
        raise AssertionError(f"{what}\n--- page {driver.current_url} ---\n{body}")


def submit(driver, form_css):
    driver.find_element(By.CSS_SELECTOR, form_css + ' button[type="submit"]').click()


def replaced(element):
    """Waits until `element` has left the document. Chromium reports a node of an unloaded page either as stale or,
    while the new page is being attached, as "does not belong to the document"; both mean the page was replaced."""
    def gone(_):
        try:
            element.is_enabled()
            return False
        except WebDriverException:  # StaleElementReferenceException is one
            return True
    return gone


def shows(locator, text):
    """Waits until the element `locator` finds holds `text`. While a click's navigation replaces the page, Chromium may
    answer for the old page's nodes with "does not belong to the document" rather than as stale: waited through."""
    def present(driver):
        try:
            return text in driver.find_element(*locator).text
        except WebDriverException:  # NoSuchElementException and StaleElementReferenceException are ones
            return False
    return present


def field(driver, name):
    return driver.find_element(By.ID, "f-" + name)


def main():
    wait_for_server()
    d = browser()
    # Waits re-check an element that a navigation replaced while they looked at it.
    wait = WebDriverWait(d, 10, ignored_exceptions=[StaleElementReferenceException])
    try:
        # Signing in sends the user back to the page first asked for.
        d.get(BASE + "/o/accounts")
        check("/login" in d.current_url, "an anonymous visit goes to the login page", d)
        d.find_element(By.ID, "email").send_keys(EMAIL)
        d.find_element(By.ID, "password").send_keys(PASSWORD)
        submit(d, "section.login form")
        wait.until(EC.url_contains("/o/accounts"))
        check(d.find_element(By.TAG_NAME, "h1").text == "客户", "the accounts list in Chinese", d)
        print("ok   log in and land on the page asked for")

        # An invalid phone is shown next to the phone field; everything else typed is kept; fixing it saves.
        d.get(BASE + "/o/accounts/new")
        field(d, "name").send_keys("杭州西湖数据科技有限公司")
        field(d, "city").send_keys("杭州")
        field(d, "phone").send_keys("打电话给我")
        submit(d, "main form")
        error = wait.until(EC.presence_of_element_located((By.ID, "e-phone")))
        check(error.text == "这不是电话号码", "the phone error sits next to the phone field", d)
        check(field(d, "phone").get_attribute("aria-describedby") == "e-phone", "the error is tied to the phone input", d)
        check(field(d, "name").get_attribute("value") == "杭州西湖数据科技有限公司", "the name typed is kept", d)
        check(field(d, "city").get_attribute("value") == "杭州", "the city typed is kept", d)
        field(d, "phone").clear()
        field(d, "phone").send_keys("0571-8765 4321")
        submit(d, "main form")
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "p.notice")))
        check("已保存" in d.find_element(By.CSS_SELECTOR, "p.notice").text, "the fixed account is saved", d)
        account_url = d.current_url.split("?")[0]
        print("ok   invalid phone shown inline, input kept, fixed and saved")

        # Editing a field shows in the history timeline: who, from what, to what.
        d.get(account_url + "/edit")
        field(d, "city").clear()
        field(d, "city").send_keys("宁波")
        submit(d, "main form")
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "form.notice")))
        timeline = d.find_element(By.CSS_SELECTOR, ".history .timeline").text
        check("杭州 → 宁波" in timeline and "来源" not in timeline and not re.search(r"\d{4}-\d\d-\d\dT\d", timeline)
              and re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d", timeline), "the timeline shows 杭州 → 宁波 at a local time, without system words", d)
        # The save offers an undo; taking it puts the city back, as an edit of its own.
        check("已保存" in d.find_element(By.CSS_SELECTOR, "form.notice").text, "the edit is saved, with an undo", d)
        d.find_element(By.CSS_SELECTOR, "form.notice button").click()
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "p.notice")))
        check("已撤销" in d.find_element(By.CSS_SELECTOR, "p.notice").text and "宁波 → 杭州" in d.find_element(By.CSS_SELECTOR, ".history .timeline").text,
              "undo puts the city back to 杭州", d)
        print("ok   edit a field, see it in the history timeline, undo it")

        # A contact is linked to its company by typing part of the company's name and choosing it from the list.
        d.get(BASE + "/o/contacts/new")
        field(d, "name").send_keys("周婷")
        field(d, "account").send_keys("西湖数据")
        wait.until(lambda drv: drv.execute_script("return document.getElementById('dl-account').options.length") > 0)
        option = d.execute_script("return document.getElementById('dl-account').options[0].value")
        check(option == "杭州西湖数据科技有限公司", "the picker offers the company typed", d)
        field(d, "account").clear()
        field(d, "account").send_keys(option)
        check(d.execute_script("return document.querySelector('input[name=account]').value") == account_url.rsplit("/", 1)[1],
              "choosing it puts the company in the field", d)
        submit(d, "main form")
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "p.notice")))
        link = d.find_element(By.LINK_TEXT, "杭州西湖数据科技有限公司")
        check(link.get_attribute("href").endswith(account_url.rsplit("/", 1)[1]), "the contact's page links its company by name", d)
        print("ok   link a contact to its company by typing the company's name")

        # Switching to English and back changes every label, and sticks across pages.
        d.find_element(By.CSS_SELECTOR, 'form[action="/locale"] button').click()
        wait.until(lambda drv: drv.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en")
        check(d.find_element(By.CSS_SELECTOR, 'nav a[href="/o/accounts"]').text == "Accounts", "English navigation", d)
        d.get(BASE + "/o/leads")
        check(d.find_element(By.TAG_NAME, "h1").text == "Leads", "English stays chosen", d)
        d.find_element(By.CSS_SELECTOR, 'form[action="/locale"] button').click()
        wait.until(lambda drv: drv.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN")
        check(d.find_element(By.TAG_NAME, "h1").text == "线索", "back to Chinese", d)
        print("ok   switch to English and back")

        # A deal moves on the board with the card's form, and by dragging (the script submits the same form).
        d.get(BASE + "/o/opportunities/new")
        field(d, "name").send_keys("CT 设备采购")
        Select(field(d, "stage")).select_by_value("proposal")
        field(d, "amount").send_keys("1200000")
        submit(d, "main form")
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "p.notice")))
        deal_id = d.current_url.split("?")[0].rsplit("/", 1)[1]
        # The admin's pipeline asks for the expected close date before negotiation: the card stays and asks for it.
        stages = [{"name": n, "probability": p, "outcome": o} for n, p, o in [
            ("prospecting", 10, "open"), ("qualification", 20, "open"), ("needs_analysis", 40, "open"), ("proposal", 60, "open"),
            ("negotiation", 80, "open"), ("closed_won", 100, "won"), ("closed_lost", 0, "lost")]]
        stages[4]["gate"] = {"fields": ["expected_close_date"]}
        api("PUT", "/api/v1/metadata/objects/opportunities/pipeline", {"pipelines": [{"name": "standard", "stages": stages}]})
        d.get(BASE + "/board")
        card = "#card-" + deal_id
        Select(d.find_element(By.CSS_SELECTOR, card + " select")).select_by_value("negotiation")
        d.find_element(By.CSS_SELECTOR, card + " button").click()
        gate = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, '[data-stage="proposal"] ' + card + " form.gate")))
        check("移至「商务谈判」还需要" in gate.text and "预计成交日期" in gate.text, "the refused card asks for the close date", d)
        if SHOTS:
            os.makedirs(SHOTS, exist_ok=True)
            d.save_screenshot(os.path.join(SHOTS, "board-gate-1366.png"))
        d.execute_script("arguments[0].value = '2030-06-30'", gate.find_element(By.NAME, "expected_close_date"))
        gate.find_element(By.CSS_SELECTOR, 'button[type="submit"]').click()
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, '[data-stage="negotiation"] ' + card)))
        total = d.find_element(By.CSS_SELECTOR, '[data-stage="negotiation"] .total').text
        check(total == "1 · ¥1,200,000.00", "the negotiation column totals the moved deal", d)
        d.execute_script("""
            const card = document.querySelector(arguments[0]);
            const target = document.querySelector('[data-stage="closed_won"]');
            const data = new DataTransfer();
            card.dispatchEvent(new DragEvent('dragstart', {bubbles: true, dataTransfer: data}));
            target.dispatchEvent(new DragEvent('dragover', {bubbles: true, cancelable: true, dataTransfer: data}));
            target.dispatchEvent(new DragEvent('drop', {bubbles: true, cancelable: true, dataTransfer: data}));
        """, card)
        wait.until(shows((By.CSS_SELECTOR, '[data-stage="closed_won"] .total'), "1 · ¥1,200,000.00"))
        check(len(d.find_elements(By.CSS_SELECTOR, '[data-stage="negotiation"] ' + card)) == 0, "the dragged card left its column", d)
        print("ok   move a deal on the board (form, then drag)")

        # A call logged on the deal in one line lands in its timeline (a long subject must not widen the page).
        d.get(BASE + "/o/opportunities/" + deal_id)
        d.find_element(By.ID, "ql-subject").send_keys("电话沟通报价，客户要求下周二前给出含税总价、分期付款方案和到货时间安排")
        submit(d, "form.quick-log")
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "p.notice")))
        check("已记录" in d.find_element(By.CSS_SELECTOR, "p.notice").text
              and "电话沟通报价" in d.find_element(By.CSS_SELECTOR, ".history .timeline").text, "the call is in the deal's timeline", d)

        # A phone written differently from how it was entered finds the account.
        box = d.find_element(By.ID, "quick-q")
        box.send_keys("+86 571 87654321\n")
        wait.until(EC.url_contains("/search"))
        results = d.find_element(By.TAG_NAME, "main").text
        check("杭州西湖数据科技有限公司" in results, "the account is found by +86 571 87654321", d)
        print("ok   search a phone written differently")

        # The main pages as a reviewer looks at them, at 1366 px and on a 375 px phone (KEEL_E2E_SHOTS: where to save).
        pages = {"today": "/", "accounts": "/o/accounts", "account": account_url.replace(BASE, ""), "leads": "/o/leads", "deals": "/o/opportunities",
                 "board": "/board", "deal": "/o/opportunities/" + deal_id, "follow-ups": "/follow-ups", "forecast": "/forecast", "new-account": "/o/accounts/new", "search": "/search?q=1", "dashboard": "/dashboard", "approvals": "/approvals"}
        if SHOTS:
            os.makedirs(SHOTS, exist_ok=True)
            d.set_window_size(1366, 900)
            for name, path in pages.items():
                d.get(BASE + path)
                d.save_screenshot(os.path.join(SHOTS, f"{name}-1366.png"))
        # On a 375 px phone the pages fit the screen: wide tables scroll inside their box, not the page.
        d.set_window_size(375, 812)
        for name, path in pages.items():
            d.get(BASE + path)
            if SHOTS:
                d.save_screenshot(os.path.join(SHOTS, f"{name}-375.png"))
            overflow = d.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
            wide = d.execute_script("""
                return Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                    && getComputedStyle(e.parentElement).overflowX === 'visible').slice(0, 5).map(e => e.tagName + '.' + e.className);
            """)
            check(overflow <= 0, f"{path} fits 375 px (overflows by {overflow}px: {wide})", d)
            unlabelled = d.execute_script("""
                return Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea'))
                    .filter(e => e.labels.length === 0 && !e.getAttribute('aria-label')).map(e => e.name || e.id);
            """)
            check(not unlabelled, f"{path}: every input is labelled (unlabelled: {unlabelled})", d)
            # Chart text reads at 12 px or more as rendered, even on a phone.
            smallest = d.execute_script("""
                const sizes = Array.from(document.querySelectorAll('svg.chart')).map(svg =>
                    parseFloat(getComputedStyle(svg).fontSize) * svg.getBoundingClientRect().width / svg.viewBox.baseVal.width);
                return sizes.length ? Math.min(...sizes) : 12;
            """)
            check(smallest >= 12, f"{path}: chart text is {smallest:.1f} px as rendered", d)
        print("ok   pages fit a 375 px phone, every input labelled, chart text at least 12 px" + (f" (screenshots in {SHOTS})" if SHOTS else ""))

        # An admin dry-runs and publishes an automation, publishes an approval process, submits the deal, sees it
        # locked, and approves it from the approvals inbox.
        d.set_window_size(1280, 900)
        d.get(BASE + "/")
        d.find_element(By.CSS_SELECTOR, 'form[action="/logout"] button').click()
        wait.until(EC.url_contains("/login"))
        d.find_element(By.ID, "email").send_keys(ADMIN_EMAIL)
        d.find_element(By.ID, "password").send_keys(ADMIN_PASSWORD)
        submit(d, "section.login form")
        wait.until(lambda drv: "/login" not in drv.current_url)
        d.get(BASE + "/admin/automations")
        page = d.find_element(By.TAG_NAME, "main")
        d.find_element(By.CSS_SELECTOR, 'button[value="dry-run"]').click()
        wait.until(replaced(page))
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "p[role=status]")))
        check("会触发的记录: 1 / 1" in d.find_element(By.TAG_NAME, "main").text, "the dry run finds the one deal over a million", d)
        page = d.find_element(By.TAG_NAME, "main")
        d.find_element(By.CSS_SELECTOR, 'button[value="publish"]').click()
        wait.until(replaced(page))
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "p.notice")))
        check("big-deal-review" in d.find_element(By.TAG_NAME, "main").text and "运行中" in d.find_element(By.TAG_NAME, "main").text,
              "the automation is listed as active", d)
        process = '{"id": "hq-approval", "label": "总部审批", "object": "opportunities", "steps": [{"name": "总部", "approver": "role:admin"}]}'
        d.execute_script("document.getElementById('ap-definition').value = arguments[0]", process)
        page = d.find_element(By.TAG_NAME, "main")
        d.execute_script("document.querySelector('form[action=\"/admin/approval-processes\"]').requestSubmit()")
        wait.until(replaced(page))
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "p.notice")))
        check("hq-approval" in d.find_element(By.TAG_NAME, "main").text, "the approval process is listed", d)
        d.get(BASE + "/o/opportunities/" + deal_id)
        Select(d.find_element(By.ID, "ap-process")).select_by_value("hq-approval")
        submit(d, 'form[action="/approvals"]')
        wait.until(shows((By.TAG_NAME, "main"), "此记录正在审批中"))
        d.get(BASE + "/approvals")
        d.find_element(By.CSS_SELECTOR, "form.decision input[name=comment]").send_keys("同意，注意回款")
        d.find_element(By.CSS_SELECTOR, 'form.decision button[value="approve"]').click()
        wait.until(shows((By.TAG_NAME, "main"), "已同意"))
        check("同意，注意回款" in d.find_element(By.TAG_NAME, "main").text, "the comment is kept with the decision", d)
        d.get(BASE + "/o/opportunities/" + deal_id)
        check("此记录正在审批中" not in d.find_element(By.TAG_NAME, "main").text, "the deal is unlocked once approved", d)
        print("ok   dry-run and publish an automation, submit a deal for approval and approve it")

        # A quote priced from the catalog: the admin adds lines on the quote's page; a bad quantity is shown on its row,
        # with what was typed kept; the totals are the lines' sums to the fen.
        product = api("POST", "/api/v1/products", {"name": "实施服务", "sku": "SVC-E2E", "unit": "人天", "unit_price": "2500.00", "tax_rate": "0.06"})
        customer = api("POST", "/api/v1/accounts", {"name": "苏州工业园区报价测试有限公司"})
        quote = api("POST", "/api/v1/quotes", {"account": customer["id"]})
        d.get(BASE + "/o/quotes/" + quote["id"])
        check("还没有报价明细" in d.find_element(By.CSS_SELECTOR, ".quote-lines").text, "a new quote has no lines yet", d)
        d.find_element(By.LINK_TEXT, "编辑明细").click()
        wait.until(EC.url_contains("/lines"))
        Select(d.find_elements(By.NAME, "product")[0]).select_by_value(product["id"])
        d.find_elements(By.NAME, "quantity")[0].send_keys("-1")
        d.find_elements(By.NAME, "discount")[0].send_keys("10")
        submit(d, "main form")
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "p.error")))
        check(d.find_element(By.CSS_SELECTOR, "p.error").text.startswith("数量"), "the bad quantity is named on its row", d)
        check(d.find_elements(By.NAME, "discount")[0].get_attribute("value") == "10", "the discount typed is kept", d)
        d.find_elements(By.NAME, "quantity")[0].clear()
        d.find_elements(By.NAME, "quantity")[0].send_keys("1.5")
        submit(d, "main form")
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".quote-lines table")))
        card = d.find_element(By.CSS_SELECTOR, ".quote-lines").text
        # 1.5 × 2,500 × 90 % = 3,375.00, 6 % VAT 202.50, 3,577.50 in all.
        check("¥3,375.00" in card and "¥202.50" in card and "¥3,577.50" in card and "10%" in card and "1.5 人天" in card,
              "the line and the totals are priced to the fen", d)
        check("明细已保存" in d.find_element(By.CSS_SELECTOR, "p.notice").text, "saving the lines says so", d)
        for path in ["/o/quotes/" + quote["id"], "/o/quotes/" + quote["id"] + "/lines"]:
            d.set_window_size(375, 812)
            d.get(BASE + path)
            if SHOTS:
                d.save_screenshot(os.path.join(SHOTS, ("quote-lines" if path.endswith("lines") else "quote") + "-375.png"))
            check(d.execute_script("return document.documentElement.scrollWidth - window.innerWidth") <= 0, f"{path} fits 375 px", d)
        print("ok   price a quote's lines on its page, a bad quantity shown on its row")

        # Finance reconciles with the ERP: the quote's contract, signed; an ERP export loaded on the reconciliation page
        # (its receivable booked ¥100 more than the contract); reconciled; the difference found by its class.
        contract = api("POST", "/api/v1/quotes/" + quote["id"] + "/contract", {"delivery_date": "2026-12-20"})
        signed = api("PATCH", "/api/v1/contracts/" + contract["id"], {"status": "signed", "signed_at": "2026-11-16T10:00:00+08:00"})
        number = signed["number"]
        export = os.path.join(tempfile.mkdtemp(), "应收单.csv")
        with open(export, "w", encoding="gb18030") as f:
            f.write("单据编号,合同编号,业务日期,价税合计,税额,单据类型\n")
            f.write(f"AR-E2E-1,{number},2026/11/17,3677.50,202.50,应收单\n")
            f.write(f"SK-E2E-1,{number},2026/11/20,1000.00,0,收款单\n")
        d.set_window_size(1280, 900)
        d.get(BASE + "/reconciliation")
        d.find_element(By.ID, "recon-file").send_keys(export)
        submit(d, 'form[action="/reconciliation/upload"]')
        wait.until(shows((By.CSS_SELECTOR, "p.notice"), "已导入 2 张财务单据"))
        submit(d, 'form[action="/reconciliation/run"]')
        wait.until(shows((By.CSS_SELECTOR, "p.notice"), "对账完成"))
        d.find_element(By.PARTIAL_LINK_TEXT, "金额不符").click()
        wait.until(EC.url_contains("difference=amount"))
        table = d.find_element(By.CSS_SELECTOR, ".reconciliation section:nth-of-type(2) table").text
        check(number in table and "¥3,577.50" in table and "¥3,677.50" in table and "-¥100.00" in table,
              "the receivable booked ¥100 more is a line of its class, both amounts shown", d)
        check("CRM 缺少 1" in d.find_element(By.CSS_SELECTOR, ".filters").text, "the receipt the CRM has no payment for is its own line", d)
        if SHOTS:
            d.save_screenshot(os.path.join(SHOTS, "reconciliation.png"))
        d.set_window_size(375, 812)
        d.get(BASE + "/reconciliation")
        check(d.execute_script("return document.documentElement.scrollWidth - window.innerWidth") <= 0, "the reconciliation page fits 375 px", d)
        d.set_window_size(1280, 900)
        d.get(BASE + "/o/contracts/" + contract["id"])
        check("¥3,475.00" in d.find_element(By.TAG_NAME, "main").text, "what finance booked (without tax) is on the contract", d)
        print("ok   load an ERP export, reconcile, find the difference by its class")

        # A trade-show list saved by Chinese Excel (GBK): its Chinese headers mapped without help, a dry run that writes
        # nothing, the real run (a repeat of an earlier row skipped, a phone that is no number failed with its cell and
        # reason), then the import taken back.
        sheet = os.path.join(tempfile.mkdtemp(), "展会名单.csv")
        with open(sheet, "w", encoding="gb18030", newline="") as f:
            f.write("客户名称,电话,城市,地址\r\n")
            f.write("杭州西湖展会测试科技有限公司,0571-88886666,杭州市,杭州市西湖区文三路 1 号\r\n")
            f.write("上海浦东展会测试贸易有限公司,+86 138 0013 8000,上海市,上海市浦东新区世纪大道 2 号\r\n")
            f.write("西湖展会测试科技（杭州）有限公司,0571-88886666,杭州市,\r\n")
            f.write("北京海淀展会测试软件有限公司,12345,北京市,\r\n")
        long_wait = WebDriverWait(d, 60, ignored_exceptions=[StaleElementReferenceException])

        def counts():
            return {dt.text: dd.text for dt, dd in zip(d.find_elements(By.CSS_SELECTOR, "dl.counts dt"), d.find_elements(By.CSS_SELECTOR, "dl.counts dd"))}

        def finished(status):
            long_wait.until(shows((By.CSS_SELECTOR, ".bar p"), status))

        d.get(BASE + "/imports")
        Select(d.find_element(By.ID, "imp-object")).select_by_value("accounts")
        d.find_element(By.ID, "imp-file").send_keys(sheet)
        submit(d, 'form[action="/imports/upload"]')
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, 'form[action="/imports/start"]')))
        check("展会名单.csv" in d.find_element(By.TAG_NAME, "h1").text and "共 4 行" in d.find_element(By.CSS_SELECTOR, ".bar p").text,
              "the mapping page names the file and counts its rows", d)
        mapped = [Select(d.find_element(By.ID, f"col-{i}")).first_selected_option.text for i in range(4)]
        check(all(m != "不导入" for m in mapped), f"the four Chinese headers are mapped without help: {mapped}", d)
        check("GB18030" in Select(d.find_element(By.ID, "imp-enc")).first_selected_option.text.upper(), "the GBK file's encoding is detected", d)
        if SHOTS:
            d.save_screenshot(os.path.join(SHOTS, "import-mapping.png"))
        d.find_element(By.CSS_SELECTOR, 'button[name="action"][value="dry"]').click()
        finished("试运行完成")
        check(counts() == {"新建": "2", "更新": "0", "合并": "0", "跳过": "1", "失败": "1"}, f"the dry run's counts: {counts()}", d)
        named = "/api/v1/accounts?filter[name][eq]=" + urllib.parse.quote("上海浦东展会测试贸易有限公司")
        check(not api("GET", named)["data"], "a dry run writes nothing", d)
        check("文件第 2 行" in d.find_element(By.CSS_SELECTOR, "section.card:nth-of-type(3) table").text, "the dry run names the row a repeat repeats", d)
        submit(d, 'form[action$="/run"]')
        finished("已完成")
        check(counts() == {"新建": "2", "更新": "0", "合并": "0", "跳过": "1", "失败": "1"}, f"the import's counts: {counts()}", d)
        problems = d.find_element(By.CSS_SELECTOR, "section.card:nth-of-type(2) table").text
        check("5 电话 12345 电话：手机号应为 11 位（现为 5 位）" in problems, f"the failed row's number, column, cell and reason are listed: {problems}", d)
        check(d.find_elements(By.PARTIAL_LINK_TEXT, "CSV"), "the error report can be downloaded", d)
        repeats = d.find_element(By.CSS_SELECTOR, "section.card:nth-of-type(3) table").text
        check("4 跳过 杭州西湖展会测试科技有限公司（文件第 2 行）" in repeats, f"the repeat is listed with the company it repeats: {repeats}", d)
        download = d.find_element(By.LINK_TEXT, "下载全部重复行（CSV）").get_attribute("href")
        listed = d.execute_async_script("fetch(arguments[0]).then(r => r.text()).then(arguments[1])", download)
        check("4,跳过,杭州西湖展会测试科技有限公司（文件第 2 行）,—" in listed, f"every repeat can be downloaded as the page words it: {listed}", d)
        if SHOTS:
            d.save_screenshot(os.path.join(SHOTS, "import-report.png"))
        check(len(api("GET", named)["data"]) == 1, "the import created the company", d)
        submit(d, 'form[action$="/revert"]')
        finished("已撤销")
        check("删除 2 条新建的记录" in d.find_element(By.TAG_NAME, "main").text, "taking it back says what it deleted", d)
        check(not api("GET", named)["data"], "taken back, the company is gone", d)
        if SHOTS:
            d.save_screenshot(os.path.join(SHOTS, "import-reverted.png"))
        print("ok   import a GBK trade-show list: map, dry run, run, its report, take it back")
    finally:
        d.quit()


if __name__ == "__main__":
    main()
