require 'minitest/autorun'
require_relative 'account'

class AccountTest < Minitest::Test
  def test_a_new_account_is_empty
    account = Account.new
    assert_equal 0, account.balance
    assert_equal [], account.history
  end

  def test_deposit_and_withdraw
    account = Account.new
    account.deposit(500)
    account.withdraw(200)
    assert_equal 300, account.balance
    assert_equal [[:deposit, 500], [:withdraw, 200]], account.history
  end

  def test_cannot_withdraw_more_than_the_balance
    account = Account.new
    account.deposit(100)
    assert_raises(Account::InsufficientFunds) { account.withdraw(101) }
    assert_equal 100, account.balance
  end

  def test_amounts_must_be_positive
    account = Account.new
    assert_raises(ArgumentError) { account.deposit(0) }
    assert_raises(ArgumentError) { account.deposit(-5) }
  end

  def test_transfer_moves_money
    alice = Account.new
    bob = Account.new
    alice.deposit(1000)
    alice.transfer(250, to: bob)
    assert_equal 750, alice.balance
    assert_equal 250, bob.balance
    assert_equal [:transfer_in, 250], bob.history.last
  end

  def test_closed_accounts_refuse_deposits
    account = Account.new
    account.close
    assert account.closed?
    assert_raises(Account::Closed) { account.deposit(10) }
  end
end
